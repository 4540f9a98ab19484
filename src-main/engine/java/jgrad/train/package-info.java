/**
 * The training loop: {@link jgrad.train.Trainer} (train and validation phases, best weights,
 * early stopping, schedules, checkpoints and resume) and its {@link jgrad.train.History}.
 */
package jgrad.train;
