import { Shell } from './shell/Shell';

/** The root component. App-wide providers, if one is ever needed, wrap the shell here. */
export function App() {
  return <Shell />;
}
