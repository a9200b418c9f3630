"""The credential engine: Open Badges 3.0 documents, proofs, status and verification.

Plain Python. It imports neither Flask nor SQLAlchemy nor anything from
``badges`` outside this package; the web layer depends on it, never the
reverse. A learner's credential must verify in any standard verifier for
decades, so everything here follows the published specifications to the byte.

Modules (each small, each with one job):

- ``loader``         closed JSON-LD document loader: serves only the pinned
                     contexts bundled in ``contexts/``; never the network.
- ``canon``          RDFC-1.0 canonicalisation through pyld, with the pyld 3.3
                     gaps closed (literal escaping, a work bound, refusal of
                     terms the contexts do not define).
- ``keys``           Ed25519 keys, Multikey encoding, encryption at rest,
                     controller documents and JWK sets.
- ``data_integrity`` ``eddsa-rdfc-2022`` (and ``eddsa-jcs-2022`` verify) proofs.
- ``documents``      building an ``OpenBadgeCredential`` from plain dataclasses,
                     validated against the OB 3.0 JSON Schema before signing.
- ``jwt``            VC-JWT: sign with EdDSA, verify EdDSA, ES256 and RS256.
- ``status_list``    W3C Bitstring Status List entries and list credentials.
- ``baking``         PNG ``iTXt`` and SVG ``<openbadges:credential>`` baking.
- ``ob2``            Open Badges 2.0 (signed and hosted) verification.
- ``fetch``          the only remote fetcher: https, public addresses, timeout,
                     size cap, off by default.
- ``verify``         verification as data: named checks, a pipeline, a report.
- ``bench``          the engine benchmark behind ``badges bench``.
"""
