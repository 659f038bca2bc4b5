import { Component, type ReactNode } from 'react';
import { Translation } from 'react-i18next';

/** Never a blank screen: a render crash (or a screen that could not be downloaded) becomes a sentence with a way back. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    // A deploy replaced the screen's chunk: only a reload brings the new one.
    const stale = /dynamically imported module|Importing a module script failed/i.test(this.state.error.message);
    return (
      <Translation>
        {(t) => (
          <div className="error" role="alert">
            <p>{t(stale ? 'errors.staleApp' : 'errors.crashed')}</p>
            <button type="button" onClick={() => (stale ? window.location.reload() : this.setState({ error: null }))}>
              {t(stale ? 'common.reload' : 'common.retry')}
            </button>
          </div>
        )}
      </Translation>
    );
  }
}
