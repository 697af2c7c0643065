"""What the menus do: files and sessions, figures, recording, lessons, appearance."""
