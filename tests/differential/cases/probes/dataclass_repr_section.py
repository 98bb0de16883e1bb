# A dataclass defined in a section that uses a section value as default: repr uses __qualname__.
# %% [markdown]
# ## Config
# %%
from dataclasses import dataclass
default_lr = 0.1
@dataclass
class Cfg:
    lr: float = default_lr
print(Cfg())
