import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  areaLabel: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/**
 * Keeps a failure inside one area (a chunk that did not load, a render bug) from blanking the whole page:
 * the header and navigation stay usable and the learner sees what happened.
 */
export class AreaErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`The ${this.props.areaLabel} area failed to render`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="area-error" role="alert">
        <p>
          The {this.props.areaLabel} area could not be shown: {this.state.error.message}
        </p>
        <p>Your saved work is untouched. Reload the page to try again, or open another area.</p>
      </div>
    );
  }
}
