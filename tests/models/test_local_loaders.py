"""CLIP and VLM have no packaged weights here: their real loaders run on tiny models
built from a config at test time and saved to disk, exactly as a site's weights would be."""

from pathlib import Path

import numpy as np
import pytest

from vigil.errors import ModelUnavailableError

TINY_CLIP = {
    "embed_dim": 32,
    "vision_cfg": {"image_size": 32, "layers": 1, "width": 64, "patch_size": 16},
    "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 1},
}


def test_open_clip_loader_reads_a_local_checkpoint(tmp_path: Path):
    import open_clip
    import torch

    from vigil.models.clip import OpenClipEmbedder

    open_clip.factory._MODEL_CONFIGS["vigil-tiny-test"] = TINY_CLIP
    model = open_clip.create_model("vigil-tiny-test")
    checkpoint = tmp_path / "tiny_clip.pt"
    torch.save(model.state_dict(), checkpoint)

    clip = OpenClipEmbedder(checkpoint, "vigil-tiny-test")
    images = clip.embed_images(
        [np.zeros((48, 64, 3), np.uint8), np.full((48, 64, 3), 255, np.uint8)]
    )
    texts = clip.embed_texts(["a person", "a car"])
    assert images.shape == (2, 32) and texts.shape == (2, 32)
    assert np.allclose(np.linalg.norm(images, axis=1), 1, atol=1e-4)
    assert clip.info().size_bytes == checkpoint.stat().st_size
    with torch.inference_mode():  # the saved weights were loaded, not fresh random ones
        want = model.eval().encode_text(
            open_clip.get_tokenizer("vigil-tiny-test")(["a car"]), normalize=True
        )
    assert np.allclose(texts[1], want[0].numpy(), atol=1e-5)


def test_open_clip_loader_refuses_a_missing_checkpoint(tmp_path: Path):
    from vigil.models.clip import OpenClipEmbedder

    with pytest.raises(ModelUnavailableError):
        OpenClipEmbedder(tmp_path / "nope.pt", "ViT-B-32")


def _tiny_blip(directory: Path) -> Path:
    from transformers import (
        BertTokenizerFast,
        BlipConfig,
        BlipForConditionalGeneration,
        BlipImageProcessor,
        BlipProcessor,
    )

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "person", "car", "in", "the"]
    (directory / "vocab.txt").write_text("\n".join(vocab))
    tokenizer = BertTokenizerFast(vocab_file=str(directory / "vocab.txt"))
    processor = BlipProcessor(BlipImageProcessor(size={"height": 32, "width": 32}), tokenizer)
    config = BlipConfig(
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "image_size": 32,
            "patch_size": 16,
        },
        text_config={
            "vocab_size": len(vocab),
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "encoder_hidden_size": 32,
            "bos_token_id": 2,
            "sep_token_id": 3,
            "pad_token_id": 0,
        },
    )
    model = BlipForConditionalGeneration(config)
    out = directory / "tiny-blip"
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


def test_transformers_vlm_loader_reads_a_local_directory(tmp_path: Path):
    from vigil.models.vlm import TransformersVLM

    vlm = TransformersVLM(_tiny_blip(tmp_path), max_new_tokens=5)
    captions = vlm.caption([np.zeros((40, 60, 3), np.uint8)])
    assert len(captions) == 1 and isinstance(captions[0], str)
    assert isinstance(vlm.ask(np.zeros((40, 60, 3), np.uint8), "a person"), str)


def test_vlm_loader_refuses_a_missing_directory(tmp_path: Path):
    from vigil.models.vlm import TransformersVLM

    with pytest.raises(ModelUnavailableError):
        TransformersVLM(tmp_path / "none")
