/**
 * Measuring a classifier: {@link jgrad.metrics.Metrics} (accuracy, top-k, on the device) and
 * {@link jgrad.metrics.ConfusionMatrix} (per-class precision, recall, F1).
 */
package jgrad.metrics;
