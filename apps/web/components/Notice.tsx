'use client';
import type { ReactNode } from 'react';

/** An error a user can act on: the API's code, then its message. */
export function ErrorNotice({ error, onDismiss }: { error: { code: string; message: string } | null; onDismiss?: () => void }) {
  if (!error) return null;
  return (
    <div className="notice error" role="alert" data-testid="error">
      <strong>{error.code}</strong> {error.message}
      {onDismiss && (
        <button type="button" className="link" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** Shown when a user opens a page their roles do not allow. */
export function Forbidden({ page }: { page: string }) {
  return (
    <div className="notice error" role="alert" data-testid="forbidden">
      <strong>FORBIDDEN</strong> Your roles do not include access to {page}. Ask a project admin if you need it.
    </div>
  );
}
