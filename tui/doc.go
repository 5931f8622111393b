// Package tui draws callcoach in the terminal. A root model (App) owns the
// screen stack, the window size, the shared styles and keys, and routes
// messages; each screen is a small model of its own in a file of its own.
// Screens reach the database only through tea.Cmds that return messages, so
// Update and View never wait on I/O.
package tui
