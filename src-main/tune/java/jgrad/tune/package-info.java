/**
 * Hyperparameter tuning: a {@link jgrad.tune.Study} runs {@link jgrad.tune.Trial}s of an objective
 * over a {@link jgrad.tune.SearchSpace}, choosing each trial's parameters with a
 * {@link jgrad.tune.Sampler} (grid, random, TPE), stopping poor trials early with a
 * {@link jgrad.tune.Pruner} (median, ASHA) and recording everything in a
 * {@link jgrad.tune.StudyStorage} (SQLite by default) so that a study survives a kill and resumes.
 * Read {@code Study} first, then docs/tuning.md.
 */
package jgrad.tune;
