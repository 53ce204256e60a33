"""The generator's vocabulary: what a synthetic hub is made of, and the draws that choose from it.

The tables (foundation models, classes and tasks, quantizer and fine-tuner orgs, account-name parts,
languages, licences, datasets, metrics, repo-name words, commit titles) are written for the project:
model ids of well-known foundation models are facts, the rest is invented. They are plain Python
literals parsed once at import, so the generator's per-model work is lookups. Every draw goes
through ``r.random()`` only (:func:`pick`, :class:`Weighted`, :func:`_gauss`), so a seed gives the
same hub on every Python version.
"""

from __future__ import annotations

import bisect
import itertools
import math
from typing import Any


def cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def pick(r, seq):
    """Uniform choice from ``r.random()`` only (``random.choice`` may change across Python versions)."""
    return seq[int(r.random() * len(seq))]


class Weighted:
    """A weighted table: ``Weighted({"a": 3, "b": 1}).pick(r)``."""

    __slots__ = ("items", "cum")

    def __init__(self, table: dict[Any, float] | list[tuple[Any, float]]):
        pairs = list(table.items()) if isinstance(table, dict) else list(table)
        self.items = [k for k, _ in pairs]
        self.cum = cumulative([w for _, w in pairs])

    def pick(self, r):
        return self.items[bisect.bisect_right(self.cum, r.random() * self.cum[-1])]


def _gauss(r) -> float:
    # Box–Muller on r.random(): Random.gauss keeps hidden state and its algorithm is not pinned.
    u1 = r.random() or 1e-12
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(6.283185307179586 * r.random())


# --------------------------------------------------------------------------------------------------
# Foundation models (roots of the lineage trees)
# --------------------------------------------------------------------------------------------------
# id | class | created | params | dtype | weight | license | gated | model_type | architecture | size
_ROOT_ROWS = """
openai-community/gpt2 | causal | 2019-02-14 | 137022720 | F32 | 60 | mit | - | gpt2 | GPT2LMHeadModel | 124M
openai-community/gpt2-medium | causal | 2019-05-01 | 380000000 | F32 | 15 | mit | - | gpt2 | GPT2LMHeadModel | 355M
EleutherAI/gpt-neo-125m | causal | 2021-03-20 | 125198592 | F32 | 12 | mit | - | gpt_neo | GPTNeoForCausalLM | 125m
EleutherAI/gpt-j-6b | causal | 2021-06-04 | 6053381344 | F32 | 8 | apache-2.0 | - | gptj | GPTJForCausalLM | 6B
EleutherAI/pythia-70m | causal | 2023-02-13 | 70426624 | F16 | 8 | apache-2.0 | - | gpt_neox | GPTNeoXForCausalLM | 70m
EleutherAI/pythia-1b | causal | 2023-03-10 | 1011781632 | F16 | 6 | apache-2.0 | - | gpt_neox | GPTNeoXForCausalLM | 1b
facebook/opt-125m | causal | 2022-05-11 | 125239296 | F16 | 14 | other | - | opt | OPTForCausalLM | 125m
facebook/opt-1.3b | causal | 2022-05-11 | 1315758080 | F16 | 6 | other | - | opt | OPTForCausalLM | 1.3b
bigscience/bloom-560m | causal | 2022-05-19 | 559214592 | F16 | 8 | bigscience-bloom-rail-1.0 | - | bloom | BloomForCausalLM | 560m
tiiuae/falcon-7b | causal | 2023-04-24 | 7217189760 | BF16 | 10 | apache-2.0 | - | falcon | FalconForCausalLM | 7B
meta-llama/Llama-2-7b-hf | causal | 2023-07-13 | 6738415616 | F16 | 60 | llama2 | manual | llama | LlamaForCausalLM | 7B
meta-llama/Llama-2-7b-chat-hf | causal | 2023-07-13 | 6738415616 | F16 | 45 | llama2 | manual | llama | LlamaForCausalLM | 7B
meta-llama/Llama-2-13b-hf | causal | 2023-07-13 | 13015864320 | F16 | 15 | llama2 | manual | llama | LlamaForCausalLM | 13B
meta-llama/Llama-2-70b-chat-hf | causal | 2023-07-14 | 68976648192 | F16 | 8 | llama2 | manual | llama | LlamaForCausalLM | 70B
codellama/CodeLlama-7b-hf | causal | 2023-08-24 | 6738546688 | BF16 | 8 | llama2 | - | llama | LlamaForCausalLM | 7b
mistralai/Mistral-7B-v0.1 | causal | 2023-09-20 | 7241732096 | BF16 | 70 | apache-2.0 | auto | mistral | MistralForCausalLM | 7B
mistralai/Mistral-7B-Instruct-v0.1 | causal | 2023-09-27 | 7241732096 | BF16 | 25 | apache-2.0 | auto | mistral | MistralForCausalLM | 7B
HuggingFaceH4/zephyr-7b-beta | causal | 2023-10-26 | 7241732096 | BF16 | 12 | mit | - | mistral | MistralForCausalLM | 7b
deepseek-ai/deepseek-llm-7b-chat | causal | 2023-11-29 | 6910365696 | BF16 | 5 | other | - | llama | LlamaForCausalLM | 7b
mistralai/Mistral-7B-Instruct-v0.2 | causal | 2023-12-11 | 7241732096 | BF16 | 45 | apache-2.0 | auto | mistral | MistralForCausalLM | 7B
mistralai/Mixtral-8x7B-v0.1 | causal | 2023-12-01 | 46702792704 | BF16 | 12 | apache-2.0 | auto | mixtral | MixtralForCausalLM | 8x7B
mistralai/Mixtral-8x7B-Instruct-v0.1 | causal | 2023-12-10 | 46702792704 | BF16 | 15 | apache-2.0 | auto | mixtral | MixtralForCausalLM | 8x7B
TinyLlama/TinyLlama-1.1B-Chat-v1.0 | causal | 2023-12-30 | 1100048384 | BF16 | 30 | apache-2.0 | - | llama | LlamaForCausalLM | 1.1B
microsoft/phi-2 | causal | 2023-12-13 | 2779683840 | F16 | 25 | mit | - | phi | PhiForCausalLM | 2.7b
Qwen/Qwen1.5-7B-Chat | causal | 2024-01-30 | 7721324544 | BF16 | 10 | other | - | qwen2 | Qwen2ForCausalLM | 7B
google/gemma-2b | causal | 2024-02-08 | 2506172416 | BF16 | 20 | gemma | manual | gemma | GemmaForCausalLM | 2b
google/gemma-7b | causal | 2024-02-08 | 8537680896 | BF16 | 15 | gemma | manual | gemma | GemmaForCausalLM | 7b
meta-llama/Meta-Llama-3-8B | causal | 2024-04-17 | 8030261248 | BF16 | 60 | llama3 | manual | llama | LlamaForCausalLM | 8B
meta-llama/Meta-Llama-3-8B-Instruct | causal | 2024-04-17 | 8030261248 | BF16 | 90 | llama3 | manual | llama | LlamaForCausalLM | 8B
meta-llama/Meta-Llama-3-70B-Instruct | causal | 2024-04-17 | 70553706496 | BF16 | 15 | llama3 | manual | llama | LlamaForCausalLM | 70B
microsoft/Phi-3-mini-4k-instruct | causal | 2024-04-22 | 3821079552 | BF16 | 25 | mit | - | phi3 | Phi3ForCausalLM | 3.8B
Qwen/Qwen2-7B-Instruct | causal | 2024-06-04 | 7615616512 | BF16 | 20 | apache-2.0 | - | qwen2 | Qwen2ForCausalLM | 7B
google/gemma-2-9b-it | causal | 2024-06-24 | 9241705984 | BF16 | 25 | gemma | manual | gemma2 | Gemma2ForCausalLM | 9b
google/gemma-2-2b-it | causal | 2024-07-16 | 2614341888 | BF16 | 25 | gemma | manual | gemma2 | Gemma2ForCausalLM | 2b
meta-llama/Llama-3.1-8B | causal | 2024-07-14 | 8030261248 | BF16 | 50 | llama3.1 | manual | llama | LlamaForCausalLM | 8B
meta-llama/Llama-3.1-8B-Instruct | causal | 2024-07-18 | 8030261248 | BF16 | 110 | llama3.1 | manual | llama | LlamaForCausalLM | 8B
mistralai/Mistral-Nemo-Instruct-2407 | causal | 2024-07-17 | 12247782400 | BF16 | 25 | apache-2.0 | auto | mistral | MistralForCausalLM | 12B
Qwen/Qwen2.5-0.5B-Instruct | causal | 2024-09-16 | 494032768 | BF16 | 60 | apache-2.0 | - | qwen2 | Qwen2ForCausalLM | 0.5B
Qwen/Qwen2.5-1.5B-Instruct | causal | 2024-09-17 | 1543714304 | BF16 | 55 | apache-2.0 | - | qwen2 | Qwen2ForCausalLM | 1.5B
Qwen/Qwen2.5-7B-Instruct | causal | 2024-09-16 | 7615616512 | BF16 | 90 | apache-2.0 | - | qwen2 | Qwen2ForCausalLM | 7B
Qwen/Qwen2.5-Coder-7B-Instruct | causal | 2024-09-17 | 7615616512 | BF16 | 30 | apache-2.0 | - | qwen2 | Qwen2ForCausalLM | 7B
Qwen/Qwen2.5-32B-Instruct | causal | 2024-09-17 | 32763876352 | BF16 | 20 | apache-2.0 | - | qwen2 | Qwen2ForCausalLM | 32B
meta-llama/Llama-3.2-1B | causal | 2024-09-18 | 1235814400 | BF16 | 45 | llama3.2 | manual | llama | LlamaForCausalLM | 1B
meta-llama/Llama-3.2-3B-Instruct | causal | 2024-09-18 | 3212749824 | BF16 | 70 | llama3.2 | manual | llama | LlamaForCausalLM | 3B
HuggingFaceTB/SmolLM2-135M-Instruct | causal | 2024-10-31 | 134515008 | BF16 | 35 | apache-2.0 | - | llama | LlamaForCausalLM | 135M
HuggingFaceTB/SmolLM2-1.7B-Instruct | causal | 2024-10-31 | 1711376384 | BF16 | 20 | apache-2.0 | - | llama | LlamaForCausalLM | 1.7B
allenai/OLMo-2-1124-7B | causal | 2024-11-18 | 7298617344 | BF16 | 6 | apache-2.0 | - | olmo2 | Olmo2ForCausalLM | 7B
meta-llama/Llama-3.3-70B-Instruct | causal | 2024-11-26 | 70553706496 | BF16 | 25 | llama3.3 | manual | llama | LlamaForCausalLM | 70B
ibm-granite/granite-3.1-8b-instruct | causal | 2024-12-06 | 8170848256 | BF16 | 8 | apache-2.0 | - | granite | GraniteForCausalLM | 8b
microsoft/phi-4 | causal | 2024-12-11 | 14659507200 | BF16 | 25 | mit | - | phi3 | Phi3ForCausalLM | 14B
deepseek-ai/DeepSeek-R1-Distill-Qwen-7B | causal | 2025-01-20 | 7615616512 | BF16 | 45 | mit | - | qwen2 | Qwen2ForCausalLM | 7B
deepseek-ai/DeepSeek-R1-Distill-Llama-8B | causal | 2025-01-20 | 8030261248 | BF16 | 35 | mit | - | llama | LlamaForCausalLM | 8B
mistralai/Mistral-Small-24B-Instruct-2501 | causal | 2025-01-28 | 23572403200 | BF16 | 25 | apache-2.0 | - | mistral | MistralForCausalLM | 24B
google/gemma-3-4b-it | causal | 2025-03-12 | 4300079472 | BF16 | 50 | gemma | manual | gemma3 | Gemma3ForConditionalGeneration | 4b
google/gemma-3-27b-it | causal | 2025-03-12 | 27432406640 | BF16 | 30 | gemma | manual | gemma3 | Gemma3ForConditionalGeneration | 27b
Qwen/Qwen3-0.6B | causal | 2025-04-27 | 751632384 | BF16 | 60 | apache-2.0 | - | qwen3 | Qwen3ForCausalLM | 0.6B
Qwen/Qwen3-8B | causal | 2025-04-27 | 8190735360 | BF16 | 90 | apache-2.0 | - | qwen3 | Qwen3ForCausalLM | 8B
Qwen/Qwen3-30B-A3B | causal | 2025-04-27 | 30532122624 | BF16 | 35 | apache-2.0 | - | qwen3_moe | Qwen3MoeForCausalLM | 30B-A3B
HuggingFaceTB/SmolLM3-3B | causal | 2025-07-08 | 3075098624 | BF16 | 20 | apache-2.0 | - | smollm3 | SmolLM3ForCausalLM | 3B
Qwen/Qwen3-4B-Instruct-2507 | causal | 2025-07-31 | 4022468096 | BF16 | 70 | apache-2.0 | - | qwen3 | Qwen3ForCausalLM | 4B
openai/gpt-oss-20b | causal | 2025-08-04 | 21511953984 | BF16 | 45 | apache-2.0 | - | gpt_oss | GptOssForCausalLM | 20b
Qwen/Qwen3.5-9B-Instruct | causal | 2026-02-16 | 9350000000 | BF16 | 90 | apache-2.0 | - | qwen3 | Qwen3ForCausalLM | 9B
meta-llama/Llama-4.1-8B-Instruct | causal | 2026-05-20 | 8210000000 | BF16 | 70 | llama4 | manual | llama4 | Llama4ForCausalLM | 8B
google/gemma-4-12b-it | causal | 2026-07-08 | 12180000000 | BF16 | 60 | gemma | manual | gemma4 | Gemma4ForConditionalGeneration | 12b
google-bert/bert-base-uncased | masked | 2018-11-14 | 110106428 | F32 | 120 | apache-2.0 | - | bert | BertForMaskedLM | base
google-bert/bert-base-cased | masked | 2018-11-14 | 108340804 | F32 | 45 | apache-2.0 | - | bert | BertForMaskedLM | base
google-bert/bert-large-uncased | masked | 2018-11-14 | 336141242 | F32 | 15 | apache-2.0 | - | bert | BertForMaskedLM | large
google-bert/bert-base-multilingual-cased | masked | 2018-11-30 | 178566653 | F32 | 30 | apache-2.0 | - | bert | BertForMaskedLM | base
distilbert/distilbert-base-uncased | masked | 2019-10-03 | 66985530 | F32 | 110 | apache-2.0 | - | distilbert | DistilBertForMaskedLM | base
distilbert/distilbert-base-multilingual-cased | masked | 2019-11-25 | 134734080 | F32 | 12 | apache-2.0 | - | distilbert | DistilBertForMaskedLM | base
FacebookAI/roberta-base | masked | 2019-08-05 | 124697433 | F32 | 80 | mit | - | roberta | RobertaForMaskedLM | base
FacebookAI/roberta-large | masked | 2019-08-05 | 355412057 | F32 | 25 | mit | - | roberta | RobertaForMaskedLM | large
FacebookAI/xlm-roberta-base | masked | 2019-12-17 | 278295186 | F32 | 50 | mit | - | xlm-roberta | XLMRobertaForMaskedLM | base
FacebookAI/xlm-roberta-large | masked | 2019-12-17 | 560142482 | F32 | 20 | mit | - | xlm-roberta | XLMRobertaForMaskedLM | large
microsoft/deberta-v3-base | masked | 2021-11-18 | 184423682 | F32 | 45 | mit | - | deberta-v2 | DebertaV2ForMaskedLM | base
microsoft/deberta-v3-large | masked | 2021-11-18 | 435063810 | F32 | 15 | mit | - | deberta-v2 | DebertaV2ForMaskedLM | large
albert/albert-base-v2 | masked | 2019-11-04 | 11683584 | F32 | 15 | apache-2.0 | - | albert | AlbertForMaskedLM | base
google/electra-base-discriminator | masked | 2020-03-24 | 108891650 | F32 | 10 | apache-2.0 | - | electra | ElectraForPreTraining | base
dmis-lab/biobert-base-cased-v1.2 | masked | 2020-06-30 | 108340804 | F32 | 8 | other | - | bert | BertForMaskedLM | base
allenai/scibert_scivocab_uncased | masked | 2020-02-18 | 109918144 | F32 | 8 | other | - | bert | BertForMaskedLM | base
dbmdz/bert-base-turkish-cased | masked | 2020-04-24 | 110617344 | F32 | 6 | mit | - | bert | BertForMaskedLM | base
almanach/camembert-base | masked | 2019-11-15 | 110621952 | F32 | 10 | mit | - | camembert | CamembertForMaskedLM | base
neuralmind/bert-base-portuguese-cased | masked | 2020-05-18 | 108923648 | F32 | 6 | mit | - | bert | BertForMaskedLM | base
tohoku-nlp/bert-base-japanese | masked | 2020-04-28 | 111207168 | F32 | 6 | cc-by-sa-4.0 | - | bert | BertForMaskedLM | base
klue/bert-base | masked | 2021-06-28 | 110617344 | F32 | 5 | cc-by-sa-4.0 | - | bert | BertForMaskedLM | base
vinai/phobert-base | masked | 2020-03-02 | 134998272 | F32 | 5 | mit | - | roberta | RobertaForMaskedLM | base
answerdotai/ModernBERT-base | masked | 2024-12-19 | 149655232 | F32 | 35 | apache-2.0 | - | modernbert | ModernBertForMaskedLM | base
google-t5/t5-small | seq2seq | 2019-11-05 | 60506880 | F32 | 50 | apache-2.0 | - | t5 | T5ForConditionalGeneration | small
google-t5/t5-base | seq2seq | 2019-11-05 | 222903552 | F32 | 35 | apache-2.0 | - | t5 | T5ForConditionalGeneration | base
google/flan-t5-base | seq2seq | 2022-10-21 | 247577856 | F32 | 35 | apache-2.0 | - | t5 | T5ForConditionalGeneration | base
google/flan-t5-large | seq2seq | 2022-10-21 | 783150080 | F32 | 20 | apache-2.0 | - | t5 | T5ForConditionalGeneration | large
google/mt5-small | seq2seq | 2020-11-24 | 300176768 | F32 | 12 | apache-2.0 | - | mt5 | MT5ForConditionalGeneration | small
facebook/bart-base | seq2seq | 2020-04-07 | 139420416 | F32 | 20 | apache-2.0 | - | bart | BartForConditionalGeneration | base
facebook/bart-large-cnn | seq2seq | 2020-04-07 | 406290432 | F32 | 20 | mit | - | bart | BartForConditionalGeneration | large
google/pegasus-xsum | seq2seq | 2020-06-05 | 569748480 | F32 | 6 | other | - | pegasus | PegasusForConditionalGeneration | large
facebook/nllb-200-distilled-600M | seq2seq | 2022-07-08 | 615073792 | F32 | 15 | cc-by-nc-4.0 | - | m2m_100 | M2M100ForConditionalGeneration | 600M
openai/whisper-tiny | asr | 2022-09-26 | 37760640 | F32 | 20 | apache-2.0 | - | whisper | WhisperForConditionalGeneration | tiny
openai/whisper-small | asr | 2022-09-26 | 241734912 | F32 | 45 | apache-2.0 | - | whisper | WhisperForConditionalGeneration | small
openai/whisper-medium | asr | 2022-09-26 | 763857920 | F32 | 20 | apache-2.0 | - | whisper | WhisperForConditionalGeneration | medium
openai/whisper-large-v2 | asr | 2022-12-05 | 1543304960 | F32 | 15 | apache-2.0 | - | whisper | WhisperForConditionalGeneration | large-v2
openai/whisper-large-v3 | asr | 2023-11-07 | 1543490560 | F16 | 30 | apache-2.0 | - | whisper | WhisperForConditionalGeneration | large-v3
openai/whisper-large-v3-turbo | asr | 2024-10-01 | 808878080 | F16 | 20 | mit | - | whisper | WhisperForConditionalGeneration | large-v3-turbo
facebook/wav2vec2-base-960h | asr | 2020-11-05 | 94396320 | F32 | 15 | apache-2.0 | - | wav2vec2 | Wav2Vec2ForCTC | base
facebook/wav2vec2-large-xlsr-53 | asr | 2020-12-10 | 315438720 | F32 | 30 | apache-2.0 | - | wav2vec2 | Wav2Vec2ForPreTraining | large
facebook/wav2vec2-xls-r-300m | asr | 2021-11-15 | 315438720 | F32 | 25 | apache-2.0 | - | wav2vec2 | Wav2Vec2ForPreTraining | 300m
facebook/w2v-bert-2.0 | asr | 2024-01-10 | 580607744 | F32 | 8 | mit | - | wav2vec2-bert | Wav2Vec2BertModel | 600M
google/vit-base-patch16-224-in21k | image | 2020-12-23 | 86389248 | F32 | 40 | apache-2.0 | - | vit | ViTModel | base
google/vit-base-patch16-224 | image | 2020-12-23 | 86567656 | F32 | 25 | apache-2.0 | - | vit | ViTForImageClassification | base
microsoft/resnet-50 | image | 2022-03-16 | 25557032 | F32 | 20 | apache-2.0 | - | resnet | ResNetForImageClassification | 50
facebook/convnext-tiny-224 | image | 2022-03-02 | 28589128 | F32 | 10 | apache-2.0 | - | convnext | ConvNextForImageClassification | tiny
microsoft/swin-tiny-patch4-window7-224 | image | 2022-03-02 | 28288354 | F32 | 15 | apache-2.0 | - | swin | SwinForImageClassification | tiny
facebook/dinov2-base | image | 2023-07-17 | 86580480 | F32 | 12 | apache-2.0 | - | dinov2 | Dinov2Model | base
facebook/detr-resnet-50 | detection | 2021-03-02 | 41631008 | F32 | 15 | apache-2.0 | - | detr | DetrForObjectDetection | 50
hustvl/yolos-tiny | detection | 2022-04-26 | 6488208 | F32 | 6 | apache-2.0 | - | yolos | YolosForObjectDetection | tiny
PekingU/rtdetr_r50vd | detection | 2024-06-21 | 42937820 | F32 | 6 | apache-2.0 | - | rt_detr | RTDetrForObjectDetection | r50
nvidia/mit-b0 | detection | 2022-03-02 | 3319392 | F32 | 8 | other | - | segformer | SegformerForImageClassification | b0
CompVis/stable-diffusion-v1-4 | diffusion | 2022-08-20 | 0 | F32 | 15 | creativeml-openrail-m | - | - | StableDiffusionPipeline | v1-4
stable-diffusion-v1-5/stable-diffusion-v1-5 | diffusion | 2022-10-20 | 0 | F32 | 45 | creativeml-openrail-m | - | - | StableDiffusionPipeline | v1-5
stabilityai/stable-diffusion-2-1 | diffusion | 2022-12-06 | 0 | F32 | 12 | openrail++ | - | - | StableDiffusionPipeline | 2-1
stabilityai/stable-diffusion-xl-base-1.0 | diffusion | 2023-07-25 | 0 | F16 | 60 | openrail++ | - | - | StableDiffusionXLPipeline | xl
black-forest-labs/FLUX.1-dev | diffusion | 2024-07-31 | 0 | BF16 | 90 | other | auto | - | FluxPipeline | 12B
black-forest-labs/FLUX.1-schnell | diffusion | 2024-07-31 | 0 | BF16 | 20 | apache-2.0 | - | - | FluxPipeline | 12B
stabilityai/stable-diffusion-3.5-large | diffusion | 2024-10-22 | 0 | BF16 | 12 | other | auto | - | StableDiffusion3Pipeline | large
Qwen/Qwen-Image | diffusion | 2025-08-02 | 0 | BF16 | 40 | apache-2.0 | - | - | QwenImagePipeline | 20B
sentence-transformers/all-MiniLM-L6-v2 | embedding | 2021-08-30 | 22713728 | F32 | 60 | apache-2.0 | - | bert | BertModel | L6
sentence-transformers/all-mpnet-base-v2 | embedding | 2021-08-30 | 109486978 | F32 | 25 | apache-2.0 | - | mpnet | MPNetModel | base
sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2 | embedding | 2021-06-23 | 117653760 | F32 | 15 | apache-2.0 | - | bert | BertModel | L12
intfloat/multilingual-e5-large | embedding | 2023-06-30 | 559890432 | F32 | 20 | mit | - | xlm-roberta | XLMRobertaModel | large
BAAI/bge-base-en-v1.5 | embedding | 2023-09-11 | 109482240 | F32 | 30 | mit | - | bert | BertModel | base
BAAI/bge-m3 | embedding | 2024-01-27 | 567754752 | F32 | 35 | mit | - | xlm-roberta | XLMRobertaModel | m3
nomic-ai/nomic-embed-text-v1.5 | embedding | 2024-02-10 | 136731648 | F32 | 12 | apache-2.0 | - | nomic_bert | NomicBertModel | v1.5
Qwen/Qwen3-Embedding-0.6B | embedding | 2025-06-03 | 595776512 | BF16 | 25 | apache-2.0 | - | qwen3 | Qwen3Model | 0.6B
llava-hf/llava-1.5-7b-hf | vlm | 2023-12-05 | 7063427072 | F16 | 12 | other | - | llava | LlavaForConditionalGeneration | 7b
google/paligemma-3b-pt-224 | vlm | 2024-05-10 | 2923466480 | F32 | 12 | gemma | manual | paligemma | PaliGemmaForConditionalGeneration | 3b
microsoft/Florence-2-large | vlm | 2024-06-15 | 776720384 | F16 | 15 | mit | - | florence2 | Florence2ForConditionalGeneration | large
Qwen/Qwen2-VL-7B-Instruct | vlm | 2024-08-28 | 8291375616 | BF16 | 20 | apache-2.0 | - | qwen2_vl | Qwen2VLForConditionalGeneration | 7B
HuggingFaceTB/SmolVLM-Instruct | vlm | 2024-11-18 | 2246272880 | BF16 | 10 | apache-2.0 | - | idefics3 | Idefics3ForConditionalGeneration | 2B
Qwen/Qwen2.5-VL-7B-Instruct | vlm | 2025-01-26 | 8292166656 | BF16 | 35 | apache-2.0 | - | qwen2_5_vl | Qwen2_5_VLForConditionalGeneration | 7B
openai/clip-vit-base-patch32 | clip | 2021-01-06 | 151277313 | F32 | 25 | other | - | clip | CLIPModel | base
openai/clip-vit-large-patch14 | clip | 2021-01-06 | 427616513 | F32 | 20 | other | - | clip | CLIPModel | large
google/siglip-so400m-patch14-384 | clip | 2024-01-08 | 877960498 | F32 | 10 | apache-2.0 | - | siglip | SiglipModel | so400m
"""


def _parse_roots() -> list[dict[str, Any]]:
    rows = []
    for line in _ROOT_ROWS.strip().splitlines():
        f = [x.strip() for x in line.split("|")]
        rows.append({
            "id": f[0], "cls": f[1], "date": f[2], "params": int(f[3]), "dtype": f[4],
            "weight": float(f[5]), "license": f[6], "gated": None if f[7] == "-" else f[7],
            "model_type": None if f[8] == "-" else f[8], "arch": f[9], "size": f[10],
        })
    return rows


ROOTS = _parse_roots()

# Per class: default pipeline tag, library, AutoModel, and the tasks a fine-tune of it is made for.
CLASSES: dict[str, dict[str, Any]] = {
    "causal": {"pipeline": "text-generation", "library": "transformers", "auto": "AutoModelForCausalLM",
               "tasks": [("text-generation", 1.0)]},
    "masked": {"pipeline": "fill-mask", "library": "transformers", "auto": "AutoModelForMaskedLM",
               "tasks": [("text-classification", 0.55), ("token-classification", 0.2),
                         ("question-answering", 0.13), ("fill-mask", 0.08), ("zero-shot-classification", 0.04)]},
    "seq2seq": {"pipeline": "text2text-generation", "library": "transformers",
                "auto": "AutoModelForSeq2SeqLM",
                "tasks": [("summarization", 0.35), ("translation", 0.3), ("text2text-generation", 0.35)]},
    "asr": {"pipeline": "automatic-speech-recognition", "library": "transformers",
            "auto": "AutoModelForSpeechSeq2Seq", "tasks": [("automatic-speech-recognition", 0.9),
                                                          ("audio-classification", 0.1)]},
    "image": {"pipeline": "image-classification", "library": "transformers",
              "auto": "AutoModelForImageClassification",
              "tasks": [("image-classification", 0.85), ("image-feature-extraction", 0.15)]},
    "detection": {"pipeline": "object-detection", "library": "transformers",
                  "auto": "AutoModelForObjectDetection",
                  "tasks": [("object-detection", 0.7), ("image-segmentation", 0.3)]},
    "diffusion": {"pipeline": "text-to-image", "library": "diffusers", "auto": None,
                  "tasks": [("text-to-image", 0.9), ("image-to-image", 0.1)]},
    "embedding": {"pipeline": "sentence-similarity", "library": "sentence-transformers", "auto": None,
                  "tasks": [("sentence-similarity", 0.8), ("feature-extraction", 0.2)]},
    "vlm": {"pipeline": "image-text-to-text", "library": "transformers", "auto": "AutoModelForImageTextToText",
            "tasks": [("image-text-to-text", 1.0)]},
    "clip": {"pipeline": "zero-shot-image-classification", "library": "transformers", "auto": None,
             "tasks": [("zero-shot-image-classification", 1.0)]},
}

TASK_HEADS = {
    "text-classification": "ForSequenceClassification", "token-classification": "ForTokenClassification",
    "question-answering": "ForQuestionAnswering", "fill-mask": "ForMaskedLM",
    "zero-shot-classification": "ForSequenceClassification", "audio-classification": "ForSequenceClassification",
    "image-classification": "ForImageClassification", "image-feature-extraction": "Model",
}

# Which fine-tune classes are popular in which year (the Hub moved from BERT fine-tunes to LLMs).
CLASS_BY_YEAR = {
    2019: {"masked": 50, "seq2seq": 20, "causal": 18, "image": 4, "embedding": 4, "asr": 4},
    2020: {"masked": 45, "seq2seq": 20, "causal": 15, "asr": 8, "image": 5, "embedding": 5, "detection": 2},
    2021: {"masked": 40, "seq2seq": 15, "asr": 18, "causal": 12, "image": 6, "embedding": 5, "detection": 2,
           "clip": 2},
    2022: {"masked": 32, "seq2seq": 13, "asr": 14, "causal": 12, "image": 10, "diffusion": 8, "embedding": 6,
           "detection": 4, "clip": 1},
    2023: {"causal": 42, "masked": 14, "diffusion": 13, "seq2seq": 6, "asr": 8, "image": 6, "embedding": 5,
           "detection": 3, "vlm": 2, "clip": 1},
    2024: {"causal": 56, "diffusion": 11, "masked": 7, "embedding": 7, "asr": 5, "image": 4, "seq2seq": 2,
           "vlm": 6, "detection": 1.5, "clip": 0.5},
    2025: {"causal": 58, "diffusion": 11, "vlm": 8, "embedding": 7, "masked": 5, "asr": 4, "image": 3,
           "seq2seq": 2, "detection": 1.5, "clip": 0.5},
}

# Share of each relation among the derivatives of a class, and when merges became a thing.
RELATION_BY_CLASS = {
    "causal": {"finetune": 36, "adapter": 27, "quantized": 27, "merge": 10},
    "masked": {"finetune": 90, "adapter": 3, "quantized": 7},
    "seq2seq": {"finetune": 88, "adapter": 6, "quantized": 6},
    "asr": {"finetune": 93, "quantized": 7},
    "image": {"finetune": 95, "quantized": 5},
    "detection": {"finetune": 96, "quantized": 4},
    "diffusion": {"adapter": 72, "finetune": 28},
    "embedding": {"finetune": 82, "quantized": 18},
    "vlm": {"finetune": 40, "adapter": 32, "quantized": 28},
    "clip": {"finetune": 90, "quantized": 10},
}

# --------------------------------------------------------------------------------------------------
# Authors
# --------------------------------------------------------------------------------------------------
# Quantizers: (org, weight, active from, active until, preferred formats)
QUANT_ORGS = [
    ("TheBloke", 10, "2023-05-01", "2024-02-01", ("gguf", "gptq", "awq")),
    ("mradermacher", 30, "2024-02-01", "2026-12-31", ("gguf", "gguf-i1")),
    ("bartowski", 14, "2024-01-01", "2026-12-31", ("gguf", "exl2")),
    ("QuantFactory", 6, "2024-04-01", "2025-06-01", ("gguf",)),
    ("lmstudio-community", 5, "2024-04-01", "2026-12-31", ("gguf",)),
    ("unsloth", 8, "2024-03-01", "2026-12-31", ("bnb", "gguf")),
    ("MaziyarPanahi", 4, "2024-01-01", "2025-06-01", ("gguf",)),
    ("RichardErkhov", 7, "2024-04-01", "2025-12-31", ("gguf", "bnb", "awq")),
    ("mlx-community", 6, "2023-12-01", "2026-12-31", ("mlx",)),
    ("second-state", 2, "2023-11-01", "2025-06-01", ("gguf",)),
    ("Xenova", 5, "2023-05-01", "2026-12-31", ("onnx",)),
    ("onnx-community", 3, "2024-06-01", "2026-12-31", ("onnx",)),
]

# Organisations that publish fine-tunes and merges (weight).
FINETUNE_ORGS = [
    ("NousResearch", 4), ("cognitivecomputations", 3), ("teknium", 1), ("allenai", 3), ("HuggingFaceH4", 3),
    ("upstage", 1), ("openchat", 1), ("Intel", 3), ("nvidia", 5), ("microsoft", 4), ("google", 4),
    ("jondurbin", 2), ("mlabonne", 3), ("Helsinki-NLP", 4), ("deepset", 2), ("cardiffnlp", 2),
    ("facebook", 4), ("Salesforce", 2), ("ibm-granite", 2), ("stabilityai", 1), ("ai4bharat", 1),
    ("speechbrain", 1), ("pyannote", 1), ("SamLowe", 1), ("ProsusAI", 1), ("dslim", 1), ("philschmid", 2),
    ("lllyasviel", 1), ("nlptown", 1), ("j-hartmann", 1), ("Davlan", 2), ("uer", 2), ("hfl", 2),
    ("ai-forever", 2), ("sberbank-ai", 1), ("KoboldAI", 2), ("TheDrummer", 2), ("Sao10K", 2),
    ("NeverSleep", 1), ("Undi95", 3), ("grimjim", 2), ("DavidAU", 3), ("prithivMLmods", 3),
]

# Organisation-like account names for pretrained "minor roots" (universities, labs, startups).
ORG_WORDS = ["nlp", "ai", "lab", "labs", "research", "ml", "team", "group", "hub", "tech", "data", "vision"]
ORG_STEMS = [
    "uclanlp", "cambridgeltl", "stanfordnlp", "tartuNLP", "deepmind", "alibaba", "tencent", "baidu", "naver",
    "kakao", "yandex", "sber", "ku", "snu", "tum", "epfl", "mila", "inria", "kth", "uva", "ugent", "unitn",
    "upf", "bsc", "cardiff", "sheffield", "edinburgh", "oxford", "mit", "cmu", "berkeley", "princeton",
    "tsinghua", "pku", "zju", "fudan", "sjtu", "ntu", "nus", "iit", "iisc", "unicamp", "usp", "uba",
    "helsinki", "oslo", "lund", "aalto", "eth", "kit", "lmu", "charite", "sorbonne", "polimi", "unibo",
    "vilnius", "tartu", "riga", "warsaw", "prague", "brno", "budapest", "athens", "ankara", "cairo", "nairobi",
    "lagos", "dhaka", "jakarta", "manila", "hanoi", "bangkok", "seoul", "tokyo", "osaka", "kyoto",
]
FIRST_NAMES = [
    "alex", "sam", "maria", "john", "li", "wei", "yuki", "arjun", "priya", "omar", "fatima", "ivan", "olga",
    "lucas", "emma", "noah", "mia", "leo", "sofia", "chen", "hao", "jun", "min", "kim", "park", "ahmed",
    "ali", "sara", "david", "daniel", "anna", "elena", "marco", "luca", "giulia", "pierre", "julien",
    "hugo", "lea", "jan", "piotr", "kasia", "tomas", "nikos", "mehmet", "ayse", "raj", "vikram", "ananya",
    "kofi", "amara", "chidi", "thabo", "diego", "camila", "mateo", "valentina", "juan", "pablo", "lucia",
    "kenji", "hiro", "sakura", "minh", "linh", "tuan", "budi", "siti", "rizky", "nguyen", "tran", "dmitri",
    "sergey", "andrei", "mikhail", "natalia", "eva", "jonas", "lars", "ingrid", "erik", "finn", "noor",
]
SURNAMES = [
    "smith", "lee", "wang", "zhang", "liu", "chen", "kumar", "singh", "garcia", "martinez", "rossi", "muller",
    "schmidt", "dubois", "martin", "kowalski", "novak", "ivanov", "petrov", "yilmaz", "kaya", "tanaka",
    "suzuki", "sato", "nguyen", "tran", "kim", "park", "choi", "silva", "santos", "oliveira", "fernandez",
    "lopez", "gonzalez", "ali", "khan", "hassan", "okafor", "mensah", "jensen", "hansen", "berg", "costa",
]
WORDS = [
    "deep", "neural", "quantum", "pixel", "tensor", "vector", "cyber", "nova", "astro", "lunar", "solar",
    "storm", "shadow", "silver", "golden", "crimson", "azure", "iron", "crystal", "echo", "zen", "byte",
    "logic", "spark", "flux", "orbit", "atlas", "phoenix", "tiger", "panda", "falcon", "wolf", "fox", "owl",
    "raven", "coral", "maple", "cedar", "river", "ocean", "cloud", "nebula", "comet", "prism", "sigma",
    "delta", "omega", "alpha", "beta", "gamma", "kappa", "theta", "zeta", "hyper", "meta", "micro", "nano",
]

# --------------------------------------------------------------------------------------------------
# Names, datasets, languages, licences
# --------------------------------------------------------------------------------------------------
# One row per language: its code, its weight among models that declare a language, its English name
# (card text), and the nationality word that appears in repo names ("bert-base-turkish"); "-": none.
_LANGUAGE_ROWS = """
en           60   English     english
zh           4    Chinese     chinese
fr           3    French      french
de           3    German      german
es           3    Spanish     spanish
ja           2.5  Japanese    japanese
ko           2    Korean      korean
ru           2.5  Russian     russian
ar           2    Arabic      arabic
hi           1.5  Hindi       hindi
tr           1.5  Turkish     turkish
pt           1.5  Portuguese  portuguese
it           1.2  Italian     italian
nl           1    Dutch       dutch
pl           1    Polish      polish
vi           1.2  Vietnamese  vietnamese
id           1.2  Indonesian  indonesian
fa           1    Persian     persian
uk           0.8  Ukrainian   ukrainian
sw           0.5  Swahili     swahili
bn           0.6  Bengali     bangla
th           0.6  Thai        thai
he           0.5  Hebrew      hebrew
el           0.4  Greek       greek
cs           0.4  Czech       czech
sv           0.4  Swedish     swedish
fi           0.3  Finnish     finnish
da           0.3  Danish      danish
ro           0.3  Romanian    romanian
hu           0.3  Hungarian   hungarian
ta           0.3  Tamil       tamil
ur           0.3  Urdu        urdu
yo           0.2  Yoruba      yoruba
ha           0.2  Hausa       hausa
am           0.2  Amharic     amharic
multilingual 1.5  multilingual -
"""
_LANGUAGE_TABLE = [line.split() for line in _LANGUAGE_ROWS.strip().splitlines()]
LANGUAGES = Weighted([(code, float(weight)) for code, weight, _, _ in _LANGUAGE_TABLE])
LANGUAGE_NAMES = {code: name for code, _, name, _ in _LANGUAGE_TABLE}
LANG_NATIONALITY = {code: nat for code, _, _, nat in _LANGUAGE_TABLE if nat != "-"}

LICENSES = Weighted({
    "apache-2.0": 38, "mit": 18, None: 22, "cc-by-4.0": 4, "cc-by-nc-4.0": 4, "other": 4, "openrail": 2,
    "cc-by-sa-4.0": 1.5, "gpl-3.0": 1, "bsd-3-clause": 0.7, "afl-3.0": 0.8, "cc-by-nc-sa-4.0": 1,
    "unknown": 0.5, "creativeml-openrail-m": 0.5, "llama3": 1, "gemma": 0.5, "cc0-1.0": 0.5,
})

# dataset ids per task (id, short name used in repo names)
DATASETS: dict[str, list[tuple[str, str]]] = {
    "text-classification": [("imdb", "imdb"), ("stanfordnlp/sst2", "sst2"), ("dair-ai/emotion", "emotion"),
                            ("tweet_eval", "tweet-eval"), ("ag_news", "ag-news"), ("yelp_review_full", "yelp"),
                            ("glue", "glue"), ("financial_phrasebank", "finance"),
                            ("rotten_tomatoes", "rotten-tomatoes"), ("amazon_polarity", "amazon"),
                            ("go_emotions", "goemotions"), ("nyu-mll/glue", "mrpc"), ("SetFit/sst5", "sst5")],
    "token-classification": [("conll2003", "conll03"), ("wikiann", "wikiann"), ("wnut_17", "wnut"),
                             ("ncbi_disease", "ncbi"), ("Babelscape/wikineural", "wikineural")],
    "question-answering": [("rajpurkar/squad", "squad"), ("rajpurkar/squad_v2", "squad2"),
                           ("adversarial_qa", "adversarialqa"), ("tydiqa", "tydiqa")],
    "fill-mask": [("wikitext", "wikitext"), ("bookcorpus", "bookcorpus"), ("cc100", "cc100"),
                  ("oscar", "oscar")],
    "zero-shot-classification": [("multi_nli", "mnli"), ("anli", "anli"), ("snli", "snli")],
    "summarization": [("cnn_dailymail", "cnn"), ("xsum", "xsum"), ("samsum", "samsum"),
                      ("billsum", "billsum"), ("multi_news", "multinews")],
    "translation": [("wmt16", "wmt16"), ("opus_books", "opus-books"), ("opus100", "opus100"),
                    ("kde4", "kde4"), ("Helsinki-NLP/tatoeba", "tatoeba")],
    "text2text-generation": [("squad", "qg"), ("common_gen", "commongen"), ("jfleg", "grammar"),
                             ("paws", "paraphrase")],
    "text-generation": [("tatsu-lab/alpaca", "alpaca"), ("yahma/alpaca-cleaned", "alpaca-cleaned"),
                        ("HuggingFaceH4/ultrachat_200k", "ultrachat"), ("Open-Orca/OpenOrca", "orca"),
                        ("teknium/OpenHermes-2.5", "openhermes"), ("HuggingFaceH4/ultrafeedback_binarized", "dpo"),
                        ("databricks/databricks-dolly-15k", "dolly"), ("openai/gsm8k", "gsm8k"),
                        ("mlabonne/FineTome-100k", "finetome"), ("timdettmers/openassistant-guanaco", "guanaco"),
                        ("meta-math/MetaMathQA", "metamath"), ("sahil2801/CodeAlpaca-20k", "code"),
                        ("HuggingFaceTB/smoltalk", "smoltalk"), ("open-r1/OpenR1-Math-220k", "r1-math")],
    "automatic-speech-recognition": [("mozilla-foundation/common_voice_11_0", "cv11"),
                                     ("mozilla-foundation/common_voice_17_0", "cv17"),
                                     ("openslr/librispeech_asr", "librispeech"), ("google/fleurs", "fleurs"),
                                     ("facebook/voxpopuli", "voxpopuli"), ("common_voice", "common-voice")],
    "audio-classification": [("speech_commands", "speech-commands"), ("marsyas/gtzan", "gtzan"),
                             ("ravdess", "ravdess")],
    "image-classification": [("cifar10", "cifar10"), ("food101", "food101"), ("beans", "beans"),
                             ("imagefolder", "imagefolder"), ("mnist", "mnist"), ("uoft-cs/cifar100", "cifar100"),
                             ("timm/oxford-iiit-pet", "pets")],
    "image-feature-extraction": [("imagenet-1k", "in1k")],
    "object-detection": [("detection-datasets/coco", "coco"), ("cppe-5", "cppe5"), ("keremberke/pcb", "pcb")],
    "image-segmentation": [("scene_parse_150", "ade20k"), ("segments/sidewalk-semantic", "sidewalk")],
    "text-to-image": [("lambdalabs/pokemon-blip-captions", "pokemon"), ("imagefolder", "custom")],
    "image-to-image": [("imagefolder", "custom")],
    "sentence-similarity": [("sentence-transformers/all-nli", "nli"), ("sentence-transformers/stsb", "stsb"),
                            ("sentence-transformers/msmarco", "msmarco"), ("embedding-data/sentence-compression", "sc")],
    "feature-extraction": [("sentence-transformers/all-nli", "nli")],
    "image-text-to-text": [("HuggingFaceM4/the_cauldron", "cauldron"), ("lmms-lab/LLaVA-OneVision-Data", "ov"),
                           ("nlphuji/flickr30k", "flickr30k")],
    "zero-shot-image-classification": [("nlphuji/flickr30k", "flickr30k"), ("conceptual_captions", "cc3m")],
}
METRICS_BY_TASK = {
    "text-classification": ["accuracy", "f1"], "token-classification": ["precision", "recall", "f1", "accuracy"],
    "question-answering": ["exact_match", "f1"], "fill-mask": ["perplexity"], "zero-shot-classification": ["accuracy"],
    "summarization": ["rouge"], "translation": ["bleu"], "text2text-generation": ["rouge", "bleu"],
    "automatic-speech-recognition": ["wer"], "audio-classification": ["accuracy"],
    "image-classification": ["accuracy"], "object-detection": ["map"], "image-segmentation": ["mean_iou"],
    "sentence-similarity": ["pearson_cosine", "spearman_cosine"], "text-generation": ["accuracy"],
}

# Repo-name parts that name practices mix (training mechanism, description, variant, task words).
TRAIN_WORDS = ["sft", "dpo", "orpo", "grpo", "kto", "ft", "finetuned", "tuned", "instruct", "chat", "rlhf",
               "distilled", "pretrained", "continued-pretrain", "qlora", "lora"]
DESCR_WORDS = ["uncensored", "abliterated", "roleplay", "rp", "reasoning", "math", "coder", "code", "medical",
               "legal", "finance", "bio", "clinical", "story", "creative", "agent", "tool-calling", "function-calling",
               "multilingual", "mini", "tiny", "lite", "turbo", "fast", "pro", "max", "plus", "hermes", "dolphin",
               "wizard", "orca", "zephyr", "vicuna", "samantha", "instruct", "unslop", "thinking"]
BRANDS = ["Hermes", "Dolphin", "OpenChat", "Nous", "Orca", "Vicuna", "WizardLM", "Starling", "Saiga",
          "Sauerkraut", "Typhoon", "Sailor", "Llamantino", "EEVE", "Swallow", "Marco", "Neural", "Einstein",
          "Tess", "Bagel", "Solar", "Yi", "Stheno", "Magnum", "Cydonia", "Rocinante", "Lumimaid", "Celeste",
          "Aurora", "Eurus", "Athena", "Apollo", "Hercules", "Zeus", "Kunoichi", "Noromaid", "Fimbulvetr",
          "Midnight", "Nemo", "Pantheon", "Gemini", "Mercury", "Nova", "Orion", "Vega", "Lyra", "Qwerky"]
MERGE_METHODS = Weighted({"slerp": 35, "ties": 20, "dare_ties": 20, "linear": 8, "passthrough": 7,
                          "task_arithmetic": 6, "model_stock": 4})
QUANT_BITS = ["Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q4_0", "Q4_K_S", "Q4_K_M", "Q5_0", "Q5_K_S", "Q5_K_M",
              "Q6_K", "Q8_0"]
QUANT_BPW = {"Q2_K": 2.6, "Q3_K_S": 3.4, "Q3_K_M": 3.9, "Q3_K_L": 4.3, "Q4_0": 4.5, "Q4_K_S": 4.6, "Q4_K_M": 4.9,
             "Q5_0": 5.5, "Q5_K_S": 5.5, "Q5_K_M": 5.7, "Q6_K": 6.6, "Q8_0": 8.5, "IQ2_M": 2.7, "IQ3_XS": 3.3,
             "IQ4_XS": 4.3, "f16": 16}
LORA_SUBJECTS = ["anime", "pixel-art", "watercolor", "cyberpunk", "ghibli", "sketch", "3d-render", "logo",
                 "portrait", "fantasy", "sci-fi", "vintage-photo", "comic", "oil-painting", "chibi", "neon",
                 "isometric", "lineart", "tattoo", "flat-illustration", "product-photo", "interior", "architecture",
                 "mecha", "retro", "claymation", "ukiyo-e", "vaporwave", "dog", "cat", "car", "food"]
RL_ENVS = [("LunarLander-v2", "ppo", "stable-baselines3", 40), ("LunarLander-v3", "ppo", "stable-baselines3", 10),
           ("CartPole-v1", "ppo", "stable-baselines3", 8), ("Huggy", "ppo", "ml-agents", 15),
           ("SnowballTarget", "ppo", "ml-agents", 5), ("Pyramids", "ppo", "ml-agents", 5),
           ("FrozenLake-v1-4x4-noSlippery", "q", "custom", 12), ("Taxi-v3", "q", "custom", 10),
           ("SpaceInvadersNoFrameskip-v4", "dqn", "stable-baselines3", 8),
           ("PandaReachDense-v3", "a2c", "stable-baselines3", 6), ("doom_health_gathering_supreme", "sf",
                                                                    "sample-factory", 4),
           ("Pixelcopter-PLE-v0", "Reinforce", "custom", 4), ("SoccerTwos", "poca", "ml-agents", 3)]
RL_ENV_TABLE = Weighted([(e, e[3]) for e in RL_ENVS])

MISC_NAMES = ["test", "test-model", "my-model", "my_model", "model", "results", "output", "outputs",
              "checkpoint", "checkpoints", "my_awesome_model", "first-model", "demo", "trained_model", "final_model",
              "best_model", "experiment", "exp", "run", "baseline", "my-first-model", "bot", "assistant",
              "classifier", "detector", "project", "thesis-model", "hw3", "assignment2", "tmp", "sample"]
MISC_LIBRARIES = Weighted({None: 40, "pytorch": 10, "keras": 9, "sklearn": 6, "tf-keras": 4, "onnx": 3,
                           "ultralytics": 6, "fastai": 2, "transformers": 12, "pytorch_model_hub_mixin": 4,
                           "joblib": 2, "tensorboard": 1, "setfit": 2, "spacy": 1, "flair": 1})
MISC_PIPELINES = Weighted({None: 55, "text-classification": 8, "image-classification": 8, "object-detection": 6,
                           "tabular-classification": 3, "text-generation": 6, "reinforcement-learning": 2,
                           "time-series-forecasting": 2, "image-segmentation": 3, "token-classification": 2,
                           "text-to-speech": 2, "audio-classification": 1, "robotics": 2})

COMMIT_UPLOAD_TITLES = ["Upload folder using huggingface_hub", "Upload model", "Upload tokenizer",
                        "Upload {cls} with huggingface_hub", "Add files", "Upload files", "model upload",
                        "Upload 5 files", "first commit", "add model", "Upload checkpoint"]
COMMIT_CARD_TITLES = ["Update README.md", "Update README.md", "Update README.md", "Create README.md",
                      "Add model card", "Update model card", "Fix typo in README", "docs: usage example",
                      "Librarian Bot: Add base_model information to model", "Update metadata",
                      "Add evaluation results", "Add citation"]
COMMIT_WEIGHT_TITLES = ["Upload {weights} with huggingface_hub", "Update weights", "Training in progress, epoch {k}",
                        "Training in progress, step {step}", "End of training", "Upload folder using huggingface_hub",
                        "retrained model", "new checkpoint", "fix weights"]
