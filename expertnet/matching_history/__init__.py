"""What coordinators were shown and what they did with it: every suggestions list a coordinator saw (which
experts, at which rank and score, from which ranker configuration), and the implicit judgments read from the
invitations and answers that followed (judgments.py). `flask matching evaluate` measures the ranker against
those judgments and `flask matching tune` fits its weights on them (commands.py; the matcher side is in
experts/matcher_tuning.py)."""
