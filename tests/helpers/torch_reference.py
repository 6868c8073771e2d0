"""The PyTorch reference network of the parity and export tests. Import it only after
``pytest.importorskip("torch")``."""

import torch


class TorchNetwork(torch.nn.Module):
    """The reference: a PyTorch recurrent stack (batch first) and a head on the last step,
    plus a linear path ``ar`` (no bias) on the flattened window when ``lookback`` is given."""

    def __init__(self, cell, n_inputs, hidden_sizes, n_outputs, activation="tanh",
                 lookback=None):
        super().__init__()
        size = hidden_sizes[0]
        assert all(h == size for h in hidden_sizes), "torch stacks need equal sizes"
        kwargs = dict(input_size=n_inputs, hidden_size=size, num_layers=len(hidden_sizes),
                      batch_first=True)
        if cell == "rnn":
            self.rnn = torch.nn.RNN(nonlinearity=activation, **kwargs)
        else:
            self.rnn = {"gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell](**kwargs)
        self.head = torch.nn.Linear(size, n_outputs)
        self.ar = None if lookback is None else torch.nn.Linear(lookback * n_inputs, n_outputs,
                                                                bias=False)

    def forward(self, x):
        out, _ = self.rnn(x)
        y = self.head(out[:, -1, :])
        if self.ar is not None:
            y = y + self.ar(x.reshape(x.shape[0], -1))
        return y
