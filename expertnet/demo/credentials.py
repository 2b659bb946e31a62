"""The demo accounts' shared password and one sign-in per role, for `flask seed-demo` and the seeding steps."""
from expertnet.demo import content

DEMO_PASSWORD = "expertnet-demo-2026"
DEMO_ADMIN = "admin@expertnet.example"


def demo_credentials() -> list[tuple[str, str]]:
    """One sign-in per role (and per language) for the newcomer."""
    credentials = [("admin", DEMO_ADMIN)]
    credentials += [("coordinator", c["email"]) for c in content.coordinators()[:2]]
    members = content.members()
    credentials += [("member", m["email"]) for m in members if m["locale"] == "en"][:1]
    credentials += [("member (ar)", m["email"]) for m in members if m["locale"] == "ar"][:1]
    experts = [e for e in content.experts() if e.get("vetting", "approved") == "approved"]
    credentials += [("expert", e["email"]) for e in experts if e["locale"] == "en"][:1]
    credentials += [("expert (ar)", e["email"]) for e in experts if e["locale"] == "ar"][:1]
    return credentials


def regional_credentials() -> list[tuple[str, str]]:
    """The regional coordinators (issue 18): they see only their region's requests."""
    return [(f"coordinator {c['region'].upper()} ({c['locale']})", c["email"]) for c in content.regional_coordinators()]


def demo_sign_ins() -> list[tuple[str, str]]:
    """Every sign-in `flask seed-demo` prints."""
    return demo_credentials() + regional_credentials()
