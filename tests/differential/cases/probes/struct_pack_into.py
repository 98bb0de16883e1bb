# struct.pack_into writes into a buffer.
# %%
import struct
buf = bytearray(4)
# %%
struct.pack_into("<i", buf, 0, 7)
# %%
print(list(buf))
