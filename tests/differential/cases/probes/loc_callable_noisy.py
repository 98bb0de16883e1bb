# df.loc[f] with a notebook function that prints.
# %%
import pandas as pd
df = pd.DataFrame({"a": [1, -1]})
def positive(frame):
    print("selecting")
    return frame["a"] > 0
# %%
df.loc[positive]
# %%
print("end")
