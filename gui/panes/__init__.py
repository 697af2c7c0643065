"""One module per pane; every pane reads the session and never calls another pane."""
