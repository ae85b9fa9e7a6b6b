/** Upper bounds (seconds) of the job wait and run histograms tallied by JobTally and kept in Redis. */
export const HISTOGRAM_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
