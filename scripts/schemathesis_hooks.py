"""Schemathesis hooks for scripts/schemathesis.sh (loaded through SCHEMATHESIS_HOOKS).

Our YAML responses (Sigma rules) are multi-document streams documented as one string
(`type: string`). Schemathesis's built-in YAML deserializer loads a single document and raises on
a stream, which kills its worker thread and silently skips operations. Read YAML bodies as the
text they are documented to be, so schema checks compare like with like.
"""

import schemathesis
from schemathesis.core import media_types


@schemathesis.deserializer(*media_types.YAML_MEDIA_TYPES)
def yaml_as_text(_ctx, response):
    return response.content.decode(response.encoding or "utf-8")
