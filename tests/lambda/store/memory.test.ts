import { MemoryStore } from "../../../lambda/store/memory";
import { describeStoreContract } from "./contract";

describeStoreContract("MemoryStore", () => new MemoryStore());
