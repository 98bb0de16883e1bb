# pd.describe_option prints to stdout.
# %%
import pandas as pd
# %%
pd.describe_option("display.max_rows")
