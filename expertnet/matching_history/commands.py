"""`flask matching evaluate` and `flask matching tune`: the ranker measured against, and fitted to, the implicit
judgments of coordinators' decisions (judgments.py). Bad options are usage errors (exit 2); too little history
is said plainly (evaluate exits 0, tune exits 1 without changing anything)."""
import getpass

import click
from flask.cli import AppGroup

from expertnet.experts import matcher_tuning
from expertnet.experts.matcher_bridge import build_index, index_root
from expertnet.extensions import db
from expertnet.matching_history.judgments import RELEVANT, judged_requests

matching_group = AppGroup("matching", help="The matcher measured against, and tuned on, coordinators' decisions.")

NO_HISTORY = ("No history to learn from yet: no recorded suggestions list has an invited expert. Lists are "
              "recorded when coordinators open a request's suggestions; judgments come from the invitations and "
              "answers that follow (`flask seed-demo` creates a demo history).")
K = click.option("--k", type=click.IntRange(1, 100), default=10, show_default=True, help="Cut-off of NDCG and recall.")


def _judged_queries():
    """(judged queries with at least one relevant expert, requests judged, requests left out for having none)."""
    judged = judged_requests()
    usable = [j for j in judged if max(j.judgments.values()) >= RELEVANT]
    queries = [matcher_tuning.judged_query(j.request, j.judgments, j.month) for j in usable]
    return queries, len(judged), len(judged) - len(usable)


def _table(title: str, scores: dict, k: int) -> None:
    click.echo(f"{title:<12} {'requests':>8} {f'NDCG@{k}':>8} {'MRR':>6} {f'R@{k}':>6}")
    for key, s in scores.items():
        click.echo(f"{key:<12} {s.n:>8} {s.ndcg:>8.3f} {s.mrr:>6.3f} {s.recall:>6.3f}")


@matching_group.command("evaluate")
@K
def evaluate_command(k: int) -> None:
    """NDCG@k, MRR and recall@k of the ranker in force on the judgments read from coordinators' decisions,
    overall, by the request's language and by the month its first suggestions list was shown."""
    queries, judged, left_out = _judged_queries()
    if not queries:
        click.echo(NO_HISTORY)
        return
    by_language, by_month = matcher_tuning.evaluate(queries, k)
    if not by_language:
        click.echo("No experts to rank: the network has no expert profiles.")
        return
    grades = sum(len(q.judgments) for q in queries)
    click.echo(f"The ranker in force on coordinators' decisions: {len(queries)} requests, {grades} judged experts"
               + (f" ({left_out} of {judged} judged requests left out: no expert invited without a refusal"
                  " as outside their expertise)" if left_out else "") + ".")
    _table("language", by_language, k)
    click.echo()
    _table("month", {key: value for key, value in by_month.items() if key != "all"}, k)


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"


@matching_group.command("tune")
@click.option("--held-out", "held_out", type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True), default=0.3,
              show_default=True, help="Share of the judged requests held out to check the tuned weights on.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed of the split by request.")
@K
@click.option("--dry-run", is_flag=True, help="Print the figures; change nothing.")
@click.option("--by", default=None, help="Who is tuning (stored with the parameters); the system user when omitted.")
def tune_command(held_out: float, seed: int, k: int, dry_run: bool, by: str | None) -> None:
    """Fit the blend, field and preference weights on a train split of the judged requests and put them in
    force only when the held-out requests rank better than with the configuration in force."""
    queries, _judged, _left_out = _judged_queries()
    if len(queries) < 2:
        click.echo(NO_HISTORY if not queries else "Too little history: at least two judged requests are needed.")
        raise SystemExit(1)
    try:
        tuning = matcher_tuning.tune_in_force(queries, held_out, seed, k)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    result = tuning.result
    click.echo(f"Tried {result.tried} configurations on {tuning.train} train requests; "
               f"{tuning.held_out} held out (seed {seed}).")
    click.echo(f"{'':<10} {'before':>8} {'after':>8}   (NDCG@{k})")
    click.echo(f"{'train':<10} {result.train_before:>8.3f} {result.train_after:>8.3f}")
    click.echo(f"{'held out':<10} {result.held_out_before:>8.3f} {result.held_out_after:>8.3f}")
    for name, value in result.best_params.items():
        before = tuning.in_force.get(name)
        if isinstance(value, dict) and isinstance(before, dict):  # field weights: the kinds that change
            changed = [kind for kind in value if before.get(kind) != value[kind]]
            before, value = ({kind: before.get(kind) for kind in changed}, {kind: value[kind] for kind in changed})
        click.echo(f"  {name}: " + (f"{before} -> {value}" if value != before else "as in force"))
    if not result.improved:
        click.echo("The held-out requests do not rank better: the configuration in force is kept.")
        return
    if dry_run:
        click.echo("Dry run: the held-out requests rank better, but nothing was stored.")
        return
    row = matcher_tuning.store_tuning(tuning, _who(by), seed, held_out, k)
    db.session.commit()
    click.echo(f"Stored as tuning #{row.id} and put in force; the matcher index is rebuilt with it.")


@matching_group.command("build-index")
@click.option("--if-stale", is_flag=True, help="Only when the live build does not reflect the data yet.")
def build_index_command(if_stale: bool) -> None:
    """Fit the matcher on every expert profile and make it the live index under MATCHER_INDEX_PATH, which every
    web worker memory-maps (the job worker does the same nightly, and when a web worker asks for it)."""
    name = build_index(force=not if_stale)
    db.session.rollback()
    click.echo(f"Built {index_root() / name}: it is live." if name else "The live index is current: nothing to do.")
