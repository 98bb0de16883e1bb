# df.to_string("table.txt") writes a file; only the bare df.to_string() displays.
# expect: same
# %%
import pandas as pd
df = pd.DataFrame({"x": [1, 2], "y": [3.5, 4.5]})
# %% [markdown]
# ## Export
# %%
df.to_string("table.txt")
