"""The PyTorch reference network of the parity and export tests. Import it only after
``pytest.importorskip("torch")``."""

import torch


class TorchNetwork(torch.nn.Module):
    """The reference: a PyTorch recurrent stack (batch first) and a head on the last step."""

    def __init__(self, cell, n_inputs, hidden_sizes, n_outputs, activation="tanh"):
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

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1, :])
