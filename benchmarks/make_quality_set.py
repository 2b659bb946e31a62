"""Writes benchmarks/data/quality_set.json: a labelled expert-matching set built from the taxonomy.

    .venv/bin/python benchmarks/make_quality_set.py

Profiles (several documents each, mostly English, some French) describe one main and one side
topic in the words of the topic's synonyms and label, mixed with everyday career filler; only some
experts tick their topics. Requests paraphrase a topic's description, in English or Arabic.
Grades: 3 = the request's topic is the expert's main topic, 2 = their side topic, 1 = same parent.
Fixed seed; re-running gives the same file.
"""
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOPICS = json.loads((HERE.parent / "expertnet" / "taxonomy" / "topics.json").read_text(encoding="utf-8"))

FILLER_EN = [
    "Managed a team of inspectors and reported to the ministry.", "Coordinated with national agencies and international partners.",
    "Delivered training courses for officers from several countries.", "Drafted standard operating procedures and guidance notes.",
    "Served as focal point for regional cooperation.", "Led assessments and wrote the final recommendations.",
    "Worked for fifteen years in government service.", "Mentored junior staff and organised workshops.",
]
FILLER_FR = ["A coordonné des ateliers régionaux.", "A dirigé une équipe d'inspecteurs au ministère."]
ROLES = ["Senior adviser", "Head of unit", "Trainer", "Consultant", "Chief inspector", "Researcher"]
REQUEST_EN = ["Our agency requests assistance with {d}", "We need an expert to help us with {d}",
              "The ministry is looking for advice on {d}"]
REQUEST_AR = ["تطلب وكالتنا المساعدة في {d}", "نحتاج إلى خبير لمساعدتنا في {d}", "تبحث الوزارة عن مشورة بشأن {d}"]


def leaf_topics():
    return [t for t in TOPICS if t["parent"]]


def lower_first(text):
    return text[:1].lower() + text[1:]


def profile(rng, expert_id, main, side):
    french = rng.random() < 0.12
    lang = "fr" if french else "en"
    syn_main = main["synonyms"].get(lang) or main["synonyms"]["en"]
    syn_side = side["synonyms"].get(lang) or side["synonyms"]["en"]
    filler = FILLER_FR if french else FILLER_EN
    docs = [{"kind": "headline", "text": f"{rng.choice(ROLES)}, {main['labels'][lang]}"},
            {"kind": "statement", "text": f"{rng.choice(syn_main)}; {rng.choice(syn_main)}. {rng.choice(filler)}"}]
    for _ in range(rng.randint(1, 3)):
        docs.append({"kind": "experience", "text": f"{rng.choice(filler)} {rng.choice(syn_main)} and {rng.choice(syn_side)}. {rng.choice(filler)}"})
    for _ in range(rng.randint(0, 2)):
        docs.append({"kind": "publication", "text": f"{side['labels'][lang]}: notes on {rng.choice(syn_side)}"})
    topics = {main["slug"]: "expert", side["slug"]: "practitioner"} if rng.random() < 0.5 else {}
    return {"expert_id": expert_id, "documents": docs, "topics": topics, "main": main["slug"], "side": side["slug"],
            "languages": ["fr"] if french else ["en"]}


def request(rng, topic, language):
    if language == "ar":
        text = rng.choice(REQUEST_AR).format(d=topic["descriptions"]["ar"])
    else:
        text = rng.choice(REQUEST_EN).format(d=lower_first(topic["descriptions"]["en"]))
    return {"language": language, "topic": topic["slug"], "text": text}


def grade(expert, topic, parents):
    if expert["main"] == topic:
        return 3
    if expert["side"] == topic:
        return 2
    return 1 if parents[expert["main"]] == parents[topic] else 0


def main():
    rng = random.Random(2026)
    leaves = leaf_topics()
    parents = {t["slug"]: t["parent"] for t in leaves}
    experts = []
    for expert_id in range(1, 181):
        main_topic = leaves[(expert_id - 1) % len(leaves)]
        side = rng.choice([t for t in leaves if t is not main_topic])
        experts.append(profile(rng, expert_id, main_topic, side))
    chosen = rng.sample(leaves, 24)
    requests = [request(rng, t, lang) for t in chosen for lang in ("en", "ar")]
    for index, item in enumerate(requests):
        item["id"] = index + 1
        item["judgments"] = {str(e["expert_id"]): g for e in experts if (g := grade(e, item["topic"], parents))}
    out = {"experts": experts, "requests": requests}
    (HERE / "data").mkdir(exist_ok=True)
    (HERE / "data" / "quality_set.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(experts)} experts, {len(requests)} requests")


if __name__ == "__main__":
    main()
