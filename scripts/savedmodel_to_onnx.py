"""Convert a TensorFlow SavedModel (from tfjs_graph_converter) to ONNX.

Runs in the throw-away conversion venv of build-vision-models.sh, not in Vigil's own.
`python -m tf2onnx.convert --saved-model` fails on these graphs ("Could not infer the
attribute type") because the tfjs converter leaves private `_input_shapes` attributes on
nodes; dropping every attribute whose name starts with `_` first is what works
(../shared/models/README.md).
"""

import sys

import tensorflow as tf
import tf2onnx


def convert(saved_model: str, onnx_path: str) -> None:
    with tf.Graph().as_default(), tf.compat.v1.Session() as session:
        meta = tf.compat.v1.saved_model.loader.load(session, ["serve"], saved_model)
        signature = meta.signature_def["serving_default"]
        inputs = sorted(t.name for t in signature.inputs.values())
        outputs = sorted(t.name for t in signature.outputs.values())
        graph_def = session.graph.as_graph_def()
    for node in graph_def.node:
        for key in [k for k in node.attr if k.startswith("_")]:
            del node.attr[key]
    tf2onnx.convert.from_graph_def(
        graph_def, input_names=inputs, output_names=outputs, opset=13, output_path=onnx_path
    )


if __name__ == "__main__":
    convert(sys.argv[1], sys.argv[2])
