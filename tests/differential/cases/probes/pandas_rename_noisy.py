# df.rename(columns=f) with a notebook function that records calls.
# %%
import pandas as pd
seen = []
def f(name):
    seen.append(name)
    return name.upper()
df = pd.DataFrame({"a": [1, 2]})
# %%
df.rename(columns=f)
# %%
print(seen)
