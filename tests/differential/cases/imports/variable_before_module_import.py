# A variable `time` is used before `import time` rebinds the name to the module.
# %%
time = 5
print(time * 2)
# %%
import time
print(callable(time.perf_counter))
