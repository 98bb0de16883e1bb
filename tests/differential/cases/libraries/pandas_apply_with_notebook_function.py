# DataFrame.apply with a notebook function reading a global rebound afterwards.
# %%
import pandas as pd
df = pd.DataFrame({"v": [1, 2, 3]})
bonus = 10
def add_bonus(v):
    return v + bonus
# %% [markdown]
# ## Apply
# %%
df["w"] = df["v"].apply(add_bonus)
bonus = 0
df["z"] = df["v"].apply(add_bonus)
print(df.to_dict("list"))
