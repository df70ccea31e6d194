/** What the metrics panel shows now: the test API reports it, so tests wait on it. */
export interface MetricsPanelState {
  key: string;
  state: 'loading' | 'metrics' | 'error';
  /** The service the metrics came from. */
  serviceUrl?: string;
  executions?: number;
  error?: string;
}
