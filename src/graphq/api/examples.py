"""Request examples for the OpenAPI document: a first call to each create and upload operation.

Each example is a body the operation accepts as it stands, but for the ids, which name
objects of the reader's own server. The OpenAPI test decodes the JSON ones into the
operation's request type and the graph metadata through the metadata decoder, so an example
cannot drift from what the API takes.
"""

from __future__ import annotations

from typing import Any

# The graph metadata of an output-characteristics graph: two linear axes, labels from the
# highest curve down, one of them carrying its own condition.
OUTPUT_GRAPH: dict[str, Any] = {
    "graphType": "output",
    "axes": {
        "x": {"min": 0, "max": 10, "quantity": "VDS", "unit": "V"},
        "y": {"min": 0, "max": 40, "quantity": "ID", "unit": "A"},
    },
    "labels": ["VGS = 10 V", "VGS = 6 V", "VGS = 5 V, Tj = 25 °C"],
}

# A capacitance graph on a log y axis, its frame given in pixels.
CAPACITANCE_GRAPH: dict[str, Any] = {
    "graphType": "capacitance",
    "axes": {
        "x": {"min": 0, "max": 50, "quantity": "VDS", "unit": "V"},
        "y": {"min": 10, "max": 10000, "scale": "log", "quantity": "C", "unit": "pF"},
    },
    "plotArea": [62, 18, 590, 402],
    "labels": ["Ciss", "Coss", "Crss"],
}

# Multipart parts that carry a file: the example shows where its bytes go.
FILE_BYTES = "(the file's bytes)"

# (method, path) → example name → (summary, value).
REQUEST_EXAMPLES: dict[tuple[str, str], dict[str, tuple[str, Any]]] = {
    ("POST", "/api/products"): {
        "mosfet": (
            "A power MOSFET",
            {
                "name": "IRFP250N",
                "partNumber": "IRFP250NPBF",
                "manufacturer": "Infineon",
                "deviceType": "Si-MOSFET",
                "package": "TO-247",
            },
        ),
    },
    ("POST", "/api/job/create"): {
        "digitize": (
            "Digitize one uploaded image, ahead of normal work",
            {"productId": "<productId>", "imageId": "<imageId>", "priority": "high"},
        ),
        "rerun-with-axes": (
            "Digitize again with corrected axes",
            {
                "productId": "<productId>",
                "imageId": "<imageId>",
                "kind": "digitize",
                "parameters": {"axes": OUTPUT_GRAPH["axes"], "plotArea": [60, 20, 600, 400]},
            },
        ),
        "spice-fit": (
            "Fit a SPICE model to a product's digitized graphs",
            {"productId": "<productId>", "kind": "spice_fit", "parameters": {"modelType": "vdmos"}},
        ),
    },
    ("POST", "/api/batch/create"): {
        "two-images": (
            "Digitize two images as one batch",
            {
                "name": "IRFP250N graphs",
                "priority": "normal",
                "jobs": [
                    {"productId": "<productId>", "imageId": "<imageId>"},
                    {"productId": "<productId>", "imageId": "<anotherImageId>"},
                ],
            },
        ),
    },
    ("POST", "/api/product/{product_id}/images"): {
        "with-metadata": (
            "Two graphs with their metadata, digitized at once",
            {
                "files": [FILE_BYTES, FILE_BYTES],
                "metadata": [OUTPUT_GRAPH, CAPACITANCE_GRAPH],
                "autoExtract": True,
                "priority": "normal",
            },
        ),
        "axes-by-ocr": (
            "One graph whose axes are read off its tick labels",
            {"files": [FILE_BYTES], "metadata": [None], "autoExtract": True},
        ),
    },
    ("POST", "/api/product/{product_id}/datasheets"): {
        "datasheet": (
            "A datasheet PDF, its graphs found and read",
            {"files": [FILE_BYTES], "priority": "normal"},
        ),
    },
    ("POST", "/api/extract/{method}"): {
        "one-graph": (
            "Digitize one image while the client waits, nothing stored",
            {"file": FILE_BYTES, "metadata": OUTPUT_GRAPH},
        ),
    },
}
