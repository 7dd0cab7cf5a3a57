# steps
