# Importing local modules prints; the order of imports and prints is observable.
# %%
print("before")
import loud_one
# %%
print("middle")
import loud_two
print("after")
