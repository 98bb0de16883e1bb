# df.agg(f) with a notebook function that records calls.
# %%
import pandas as pd
seen = []
def f(s):
    seen.append(s.name)
    return s.sum()
df = pd.DataFrame({"a": [1, 2]})
# %%
df.agg(f)
# %%
print(seen)
