// transformers 5.17 models/detr/modeling_detr.py: DetrConvEncoder (timm resnet50,
// DetrFrozenBatchNorm2d, the pixel mask resized to each feature map), DetrModel,
// DetrMLPPredictionHead, DetrForObjectDetection; and the ngbench Model around it.
#include "models/vision/detr.h"

#include <ATen/ATen.h>

#include "core/error.h"
#include "models/model.h"
#include "models/module_scope.h"
#include "models/text_model.h"
#include "models/vision/detection_inputs.h"
#include "models/vision/detr_transformer.h"
#include "models/vision/images.h"
#include "models/vision/rcnn_backbone.h"

namespace ngbench::models::vision {

namespace {

// DetrConvEncoder: self.model is timm's FeatureListNet over resnet50.
class DetrConvEncoderImpl : public torch::nn::Module {
 public:
  explicit DetrConvEncoderImpl(const DetrConfig& c) {
    model = register_module("model", std::make_shared<ResNetBodyImpl>(
                                         c.backbone_layers,
                                         ResNetFlavor{"DetrFrozenBatchNorm2d", "FeatureListNet", "Bottleneck", 1e-5}));
  }
  // (feature maps, masks) of layer1..layer4.
  std::pair<std::vector<at::Tensor>, std::vector<at::Tensor>> forward(const at::Tensor& pixel_values,
                                                                      const at::Tensor& pixel_mask) {
    ModuleScope scope("DetrConvEncoder", {pixel_values});
    std::vector<at::Tensor> features = model->forward(pixel_values);
    std::vector<at::Tensor> masks;
    for (const auto& f : features) {
      // nn.functional.interpolate(pixel_mask[None].float(), size=feature_map.shape[-2:]).to(torch.bool)[0]
      at::Tensor m = pixel_mask.unsqueeze(0).to(at::kFloat);
      const std::vector<int64_t> size{f.size(-2), f.size(-1)};
      m = at::upsample_nearest2d(m, at::OptionalIntArrayRef(size), std::optional<at::ArrayRef<double>>());
      masks.push_back(m.to(at::kBool).select(0, 0));
    }
    return {features, masks};
  }
  std::shared_ptr<ResNetBodyImpl> model;
};

class DetrModelImpl : public torch::nn::Module {
 public:
  DetrModelImpl(const DetrConfig& c, hf::Attention attention) : d_model_(c.d_model) {
    backbone = register_module("backbone", std::make_shared<DetrConvEncoderImpl>(c));
    query_position_embeddings =
        register_module("query_position_embeddings", std::make_shared<hf::EmbeddingImpl>(c.num_queries, c.d_model));
    input_projection = register_module("input_projection", std::make_shared<Conv2dImpl>(2048, c.d_model, 1));
    encoder = register_module("encoder", std::make_shared<DetrEncoderImpl>(c, attention));
    decoder = register_module("decoder", std::make_shared<DetrDecoderImpl>(c, attention));
  }

  at::Tensor forward(const at::Tensor& pixel_values, const at::Tensor& pixel_mask) {
    ModuleScope scope("DetrModel", {pixel_values});
    const int64_t batch = pixel_values.size(0);
    auto [features, masks] = backbone->forward(pixel_values, pixel_mask);
    const at::Tensor& feature_map = features.back();
    const at::Tensor& mask = masks.back();
    at::Tensor flattened = input_projection->forward(feature_map).flatten(2).transpose(1, 2);
    at::Tensor spatial = detr_sine_position_embedding(mask, d_model_ / 2, pixel_values.scalar_type());
    spatial = spatial.flatten(2).transpose(1, 2);
    at::Tensor flat_mask = mask.flatten(1);
    at::Tensor encoded = encoder->forward(flattened, flat_mask, spatial);
    at::Tensor query_pos = query_position_embeddings->weight.unsqueeze(0).repeat({batch, 1, 1});
    at::Tensor queries = at::zeros_like(query_pos, at::TensorOptions().pinned_memory(false));
    return decoder->forward(queries, encoded, flat_mask, spatial, query_pos);
  }

  std::shared_ptr<DetrConvEncoderImpl> backbone;
  std::shared_ptr<hf::EmbeddingImpl> query_position_embeddings;
  std::shared_ptr<Conv2dImpl> input_projection;
  std::shared_ptr<DetrEncoderImpl> encoder;
  std::shared_ptr<DetrDecoderImpl> decoder;

 private:
  int64_t d_model_;
};

// DetrMLPPredictionHead(d_model, d_model, 4, num_layers=3)
class DetrMLPPredictionHeadImpl : public torch::nn::Module {
 public:
  explicit DetrMLPPredictionHeadImpl(int64_t d) {
    auto list = register_module("layers", std::make_shared<ContainerImpl>());
    for (int64_t i = 0; i < 3; ++i) {
      layers.push_back(list->add(std::to_string(i), std::make_shared<hf::LinearImpl>(d, i < 2 ? d : 4)));
    }
  }
  at::Tensor forward(const at::Tensor& x_in) {
    ModuleScope scope("DetrMLPPredictionHead", {x_in});
    at::Tensor x = x_in;
    for (size_t i = 0; i < layers.size(); ++i) {
      x = layers[i]->forward(x);
      if (i + 1 < layers.size()) x = at::relu(x);
    }
    return x;
  }
  std::vector<std::shared_ptr<hf::LinearImpl>> layers;
};

class DetrForObjectDetectionImpl : public torch::nn::Module {
 public:
  DetrForObjectDetectionImpl(const DetrConfig& c, hf::Attention attention) {
    model = register_module("model", std::make_shared<DetrModelImpl>(c, attention));
    class_labels_classifier =
        register_module("class_labels_classifier", std::make_shared<hf::LinearImpl>(c.d_model, c.num_labels + 1));
    bbox_predictor = register_module("bbox_predictor", std::make_shared<DetrMLPPredictionHeadImpl>(c.d_model));
  }
  // (logits, pred_boxes)
  std::pair<at::Tensor, at::Tensor> forward(const at::Tensor& pixel_values, const at::Tensor& pixel_mask) {
    ModuleScope scope("DetrForObjectDetection", {pixel_values});
    at::Tensor sequence_output = model->forward(pixel_values, pixel_mask);
    at::Tensor logits = class_labels_classifier->forward(sequence_output);
    at::Tensor pred_boxes = bbox_predictor->forward(sequence_output).sigmoid();
    return {logits, pred_boxes};
  }
  std::shared_ptr<DetrModelImpl> model;
  std::shared_ptr<hf::LinearImpl> class_labels_classifier;
  std::shared_ptr<DetrMLPPredictionHeadImpl> bbox_predictor;
};

class DetrDetectionModel : public Model {
 public:
  DetrDetectionModel(std::shared_ptr<DetrForObjectDetectionImpl> net, DetrPreprocessing pre, double threshold,
                     std::string name, at::Device device)
      : net_(std::move(net)), pre_(std::move(pre)), threshold_(threshold), name_(std::move(name)), device_(device) {}

  std::vector<at::Tensor> make_inputs(const InputSpec& spec) const override {
    if (spec.batch < 1) {
      throw Error("batch " + std::to_string(spec.batch) + " is out of range for " + name_ + "; valid: 1 or more");
    }
    DetrInputs in = detr_preprocess(take(load_images(spec.images), spec.batch), pre_);
    records_ = in.records;
    return {in.pixel_values.to(device_), in.pixel_mask.to(device_)};
  }

  at::Tensor forward(const std::vector<at::Tensor>& inputs) override {
    auto [logits, boxes] = net_->forward(inputs.at(0), inputs.at(1));
    logits_ = logits;
    return logits;
  }

  torch::nn::Module& module() override { return *net_; }
  std::vector<InputRecord> input_records() const override { return records_; }

  // post_process_object_detection(outputs, threshold): queries whose best
  // non-"no object" class probability exceeds the threshold.
  std::map<std::string, double> workload_counts() const override {
    if (!logits_.defined()) return {};
    at::Tensor prob = at::softmax(logits_, -1);
    at::Tensor scores = std::get<0>(prob.slice(-1, 0, prob.size(-1) - 1).max(-1));
    return {{"queries", static_cast<double>(scores.numel())},
            {"detections", static_cast<double>(at::gt(scores, threshold_).sum().item<int64_t>())}};
  }

 private:
  std::shared_ptr<DetrForObjectDetectionImpl> net_;
  DetrPreprocessing pre_;
  double threshold_;
  std::string name_;
  at::Device device_;
  mutable std::vector<InputRecord> records_;
  at::Tensor logits_;
};

ModelEntry make_entry(const std::string& name, const std::string& reference, const std::string& description,
                      const DetrConfig& c, bool tiny) {
  ModelEntry e;
  e.name = name;
  e.task = "OD";
  e.reference = reference;
  e.description = description;
  e.parameters = detr_parameter_count(c);
  e.for_tests = tiny;
  e.takes_score_threshold = true;
  e.default_attention = "sdpa";  // HF 5.17: sdpa where torch supports it; eager on request
  e.estimate_bytes = [c, tiny](int64_t batch, int64_t /*seq_len*/, int64_t /*layers*/) {
    // fp32 weights plus, generously, the backbone's live maps (~96 floats per
    // input pixel) and the attention weights over the stride-32 tokens.
    const int64_t pixels = tiny ? 96 * 96 : 1333 * 1333;
    const int64_t tokens = pixels / (32 * 32);
    const int64_t per_image = 96 * pixels + 4 * c.encoder_attention_heads * tokens * tokens;
    return 4 * (detr_parameter_count(c) + batch * per_image);
  };
  e.create = [c, tiny, name](const ModelOptions& o) { return create_detr(c, tiny, o, name); };
  return e;
}

}  // namespace

DetrConfig detr_resnet50_config() { return DetrConfig{}; }

DetrConfig detr_tiny_config() {
  DetrConfig c;
  c.d_model = 32;
  c.encoder_layers = 2;
  c.decoder_layers = 2;
  c.encoder_attention_heads = 4;
  c.decoder_attention_heads = 4;
  c.encoder_ffn_dim = 64;
  c.decoder_ffn_dim = 64;
  c.num_queries = 10;
  c.num_labels = 7;
  return c;
}

int64_t detr_parameter_count(const DetrConfig& c) {
  return resnet_body_parameter_count(c.backbone_layers) + (2048 * c.d_model + c.d_model) +  // input_projection
         c.num_queries * c.d_model + detr_transformer_parameter_count(c) +
         (c.d_model * (c.num_labels + 1) + c.num_labels + 1) +                           // class_labels_classifier
         2 * (c.d_model * c.d_model + c.d_model) + (c.d_model * 4 + 4);                   // bbox_predictor
}

std::unique_ptr<Model> create_detr(const DetrConfig& config, bool tiny, const ModelOptions& options,
                                   const std::string& name) {
  if (options.dtype != "float32") {
    throw Error("dtype '" + options.dtype + "' is not supported by " + name + "; valid: float32");
  }
  const at::Device device = hf::parse_device(options.device);
  const hf::Attention attention = hf::parse_attention(options.attention, hf::Attention::kSdpa);
  at::manual_seed(options.seed);
  auto net = std::make_shared<DetrForObjectDetectionImpl>(config, attention);
  net->eval();
  hf::convert_module(*net, at::kFloat, device);
  DetrPreprocessing pre;
  if (tiny) {
    pre.shortest_edge = 64;
    pre.longest_edge = 96;
  } else {
    pre.pre_resize = std::make_pair(int64_t{640}, int64_t{480});  // the paper's COCO images, 640x480
  }
  const double threshold = options.score_threshold >= 0 ? options.score_threshold : 0.5;
  return std::make_unique<DetrDetectionModel>(std::move(net), pre, threshold, name, device);
}

std::vector<ModelEntry> detr_entries() {
  return {
      make_entry("detr-resnet-50", "hf:facebook/detr-resnet-50",
                 "DETR, ResNet-50 (timm) + 6/6-layer transformer, 100 queries, object detection",
                 detr_resnet50_config(), false),
      make_entry("detr-tiny", "hf:DetrForObjectDetection(tiny config)",
                 "DETR test config: d_model 32, 2+2 layers, 10 queries, 64-96 px", detr_tiny_config(), true),
  };
}

}  // namespace ngbench::models::vision
