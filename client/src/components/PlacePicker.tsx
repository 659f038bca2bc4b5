import { useTranslation } from 'react-i18next';
import { MapPin } from 'lucide-react';
import type { usePlace } from '../lib/place';
import { ErrorMessage } from './ErrorMessage';

/** "Where": the reader's own location (asked only on request) or one of a few known places. */
export function PlacePicker({ state }: { state: ReturnType<typeof usePlace> }) {
  const { t } = useTranslation();
  return (
    <div className="place">
      <MapPin aria-hidden="true" size={18} />
      <label htmlFor="place" className="sr-only">
        {t('near.place')}
      </label>
      <select id="place" value={state.choice} onChange={(e) => state.setChoice(e.target.value)} disabled={state.locating}>
        {['here', 'cityhall', 'gangnam', 'busan', 'jeju'].map((k) => (
          <option key={k} value={k}>
            {t(`near.places.${k}`)}
          </option>
        ))}
      </select>
      {state.locating && <span className="muted small">{t('near.locating')}</span>}
      <ErrorMessage error={state.error} />
    </div>
  );
}
