"""The export formats: key -> (what is written, the file suffix), in the words both front
ends name them (PyTorch's weights, which it calls a state dict, as "PyTorch weights")."""

FORMATS = {"model": ("RNN Studio model file", ".npz"),
           "python": ("Python module (NumPy only)", ".py"),
           "onnx": ("ONNX model", ".onnx"),
           "torch": ("PyTorch weights", ".npz")}
