// Small building blocks every screen uses: skeletons while loading, empty states, avatars, a page header.
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ArrowLeft, X, type LucideIcon } from 'lucide-react';

/** Grey blocks in the shape of what is coming; announced once as "loading". */
export function Skeleton({ rows = 3, variant = 'card' }: { rows?: number; variant?: 'card' | 'line' | 'bubble' }) {
  const { t } = useTranslation();
  return (
    <div className={`skeleton skeleton-${variant}`} role="status" aria-label={t('common.loading')}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-item" aria-hidden="true">
          <span className="bone w60" />
          <span className="bone w90" />
          {variant === 'card' && <span className="bone w40" />}
        </div>
      ))}
    </div>
  );
}

export function Empty({ icon: Icon, title, text, children }: { icon: LucideIcon; title: string; text?: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <Icon aria-hidden="true" size={36} strokeWidth={1.5} />
      <p className="empty-title">{title}</p>
      {text && <p className="muted">{text}</p>}
      {children}
    </div>
  );
}

export function Avatar({ name, size = 32 }: { name: string | null | undefined; size?: number }) {
  const letter = [...(name ?? '?')][0]?.toUpperCase() ?? '?';
  let hue = 0;
  for (const ch of name ?? '') hue = (hue * 31 + ch.codePointAt(0)!) % 360;
  // The letter is drawn by CSS (data-letter): decoration, not part of any link's or button's name.
  return (
    <span
      className="avatar"
      aria-hidden="true"
      data-letter={letter}
      style={{ width: size, height: size, fontSize: size * 0.45, background: `hsl(${hue} 45% 40%)` }}
    />
  );
}

/** A screen's title row; `back` adds a way back (history when there is one, else `back`). */
export function PageHeader({ title, back, children }: { title: ReactNode; back?: string; children?: ReactNode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="page-header">
      {back && (
        <Link
          to={back}
          className="icon-button"
          aria-label={t('common.back')}
          onClick={(e) => {
            if (window.history.state?.idx > 0) {
              e.preventDefault();
              navigate(-1);
            }
          }}
        >
          <ArrowLeft aria-hidden="true" size={22} />
        </Link>
      )}
      <h1>{title}</h1>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

/** A bottom sheet on phones, a centred dialog on wide screens (native <dialog>: focus stays inside, Esc closes). */
export function Sheet({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal?.();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="sheet" aria-label={title} onClose={onClose} onCancel={onClose}>
      {open && (
        <>
          <div className="sheet-head">
            <h2>{title}</h2>
            <button type="button" className="icon-button" aria-label={t('common.close')} onClick={onClose}>
              <X aria-hidden="true" size={22} />
            </button>
          </div>
          {children}
        </>
      )}
    </dialog>
  );
}
