import { Component, type ReactNode } from 'react';
import { Translation } from 'react-i18next';

/** Never a blank screen: a render crash becomes a message with a way back. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Translation>
        {(t) => (
          <div className="error" role="alert">
            <p>{t('errors.crashed')}</p>
            <p className="muted">{this.state.error!.message}</p>
            <button type="button" onClick={() => this.setState({ error: null })}>
              {t('common.retry')}
            </button>
          </div>
        )}
      </Translation>
    );
  }
}
