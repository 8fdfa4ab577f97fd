"""Reports for the team and the steering group: Markdown, standalone HTML, CSV and XLSX."""
