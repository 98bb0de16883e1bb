# pd.api.extensions.register_dataframe_accessor used as a decorator.
# %%
import pandas as pd
@pd.api.extensions.register_dataframe_accessor("tools")
class Tools:
    def __init__(self, df):
        self.df = df
    def total(self):
        return int(self.df.sum().sum())
# %%
print(pd.DataFrame({"a": [1, 2]}).tools.total())
