import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Compass } from 'lucide-react';
import { Empty, PageHeader } from '../components/ui';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('common.notFound')} />
      <Empty icon={Compass} title={t('common.notFoundHint')}>
        <Link to="/" className="primary-link">
          {t('common.backHome')}
        </Link>
      </Empty>
    </>
  );
}
