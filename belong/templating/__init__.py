"""Strategy templates: data files that define steps, questions and the document."""
