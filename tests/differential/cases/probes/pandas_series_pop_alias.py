# A column popped through a dict of frames.
# %%
import pandas as pd
frames = {"train": pd.DataFrame({"a": [1], "b": [2]})}
train = frames["train"]
# %%
train.drop(columns="b", inplace=True)
# %%
print(list(frames["train"].columns))
