"""Starting from nothing: the questions, their answers, the interview, readiness."""
