"""`pdj create`'s logic, typer- and rich-free: the model's rules, validation, job names, the
requests built, and submitting them (already submitted, the five-PENDING limit)."""
