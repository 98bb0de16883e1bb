# traceback.format_exc() printed inside an except block: the frame names it shows.
# %%
import traceback
# %% [markdown]
# ## Try
# %%
try:
    1 / 0
except ZeroDivisionError:
    print(traceback.format_exc().splitlines()[-1])
    print(len(traceback.extract_stack()) > 3)
