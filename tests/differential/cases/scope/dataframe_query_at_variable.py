# df.query("a > @threshold") reads a notebook variable from the calling frame.
# %%
import pandas as pd
df = pd.DataFrame({"a": [1, 5, 10]})
threshold = 4
# %% [markdown]
# ## Filter
# %%
big = df.query("a > @threshold")
print(big["a"].tolist())
