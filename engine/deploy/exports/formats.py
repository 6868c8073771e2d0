"""The export formats: key -> (what is written, the file suffix)."""

FORMATS = {"model": ("RNN Studio model file", ".npz"),
           "python": ("Python module (NumPy only)", ".py"),
           "onnx": ("ONNX model", ".onnx"),
           "torch": ("PyTorch state dict", ".npz")}
