# string.Template(...).substitute(globals()) reads notebook variables.
# %%
from string import Template
who = "world"
# %% [markdown]
# ## Greet
# %%
greeting = Template("hello $who").substitute(globals())
print(greeting)
