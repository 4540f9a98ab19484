/**
 * The leaderboard: a {@link jgrad.leaderboard.Competition} keeps a test set's labels on the server,
 * split into a public and a private part; participants send predictions, never scores, and
 * {@link jgrad.leaderboard.Scoring} scores them. {@link jgrad.leaderboard.BoardStore} keeps
 * competitions, participants (a hash of each token) and every submission in SQLite or PostgreSQL;
 * {@link jgrad.leaderboard.BoardServer} serves the JSON API and the web page;
 * {@link jgrad.leaderboard.BoardClient} submits. Knows no training: the command line predicts.
 * Read {@code Competition}, then {@code BoardServer}, then docs/leaderboard.md.
 */
package jgrad.leaderboard;
