// torchvision 0.26 models/detection/generalized_rcnn.py (GeneralizedRCNN.forward,
// eval mode), faster_rcnn.py / mask_rcnn.py (defaults), and the ngbench Model
// around it: inputs from photographs, workload counts, registry entries.
#include "models/vision/rcnn.h"

#include <ATen/ATen.h>

#include "core/error.h"
#include "models/model.h"
#include "models/module_scope.h"
#include "models/text_model.h"
#include "models/vision/detection_inputs.h"
#include "models/vision/images.h"
#include "models/vision/rcnn_backbone.h"
#include "models/vision/rcnn_roi_heads.h"
#include "models/vision/rcnn_rpn.h"
#include "models/vision/rcnn_transform.h"
#include "models/vision/torchvision_ops.h"

namespace ngbench::models::vision {

namespace {

RPNConfig rpn_config(const RCNNConfig& c) {
  RPNConfig r;
  r.pre_nms_top_n = c.rpn_pre_nms_top_n;
  r.post_nms_top_n = c.rpn_post_nms_top_n;
  r.nms_thresh = c.rpn_nms_thresh;
  return r;
}

RoIHeadsConfig roi_config(const RCNNConfig& c) {
  RoIHeadsConfig r;
  r.num_classes = c.num_classes;
  r.representation_size = c.representation_size;
  r.score_thresh = c.box_score_thresh;
  r.nms_thresh = c.box_nms_thresh;
  r.detections_per_img = c.box_detections_per_img;
  r.masks = c.masks;
  r.mask_layers = c.mask_layers;
  r.mask_dim_reduced = c.mask_dim_reduced;
  return r;
}

// GeneralizedRCNN (FasterRCNN / MaskRCNN): transform, backbone, rpn, roi_heads, postprocess.
class GeneralizedRCNNImpl : public torch::nn::Module {
 public:
  explicit GeneralizedRCNNImpl(const RCNNConfig& c) : config_(c) {
    transform_.min_size = c.min_size;
    transform_.max_size = c.max_size;
    backbone = register_module("backbone", std::make_shared<BackboneWithFPNImpl>(c.layers, c.fpn_channels));
    rpn = register_module("rpn", std::make_shared<RegionProposalNetworkImpl>(c.fpn_channels, rpn_config(c)));
    roi_heads = register_module("roi_heads", std::make_shared<RoIHeadsImpl>(c.fpn_channels, roi_config(c)));
  }

  std::vector<Detections> forward(const std::vector<at::Tensor>& images) {
    ModuleScope scope(config_.masks ? "MaskRCNN" : "FasterRCNN");
    std::vector<ImageSize> original_sizes;
    for (const auto& img : images) original_sizes.emplace_back(img.size(-2), img.size(-1));
    ImageList image_list = rcnn_transform(transform_, images);
    std::vector<at::Tensor> features = backbone->forward(image_list.tensors);
    std::vector<at::Tensor> proposals = rpn->forward(image_list, features);
    std::vector<Detections> detections = roi_heads->forward(features, proposals, image_list.image_sizes);
    rcnn_postprocess(detections, image_list.image_sizes, original_sizes);
    return detections;
  }

  std::shared_ptr<BackboneWithFPNImpl> backbone;
  std::shared_ptr<RegionProposalNetworkImpl> rpn;
  std::shared_ptr<RoIHeadsImpl> roi_heads;

 private:
  RCNNConfig config_;
  RCNNTransformConfig transform_;
};

class RCNNModel : public Model {
 public:
  RCNNModel(std::shared_ptr<GeneralizedRCNNImpl> net, RCNNConfig config, std::string name, at::Device device)
      : net_(std::move(net)), config_(std::move(config)), name_(std::move(name)), device_(device) {}

  std::vector<at::Tensor> make_inputs(const InputSpec& spec) const override {
    if (spec.batch < 1) {
      throw Error("batch " + std::to_string(spec.batch) + " is out of range for " + name_ + "; valid: 1 or more");
    }
    records_.clear();
    std::vector<at::Tensor> inputs;
    for (const Image& image : take(load_images(spec.images), spec.batch)) {
      const ImageSize s = rcnn_resized_size(image.height, image.width, config_.min_size, config_.max_size);
      records_.push_back({image.source, image.height, image.width, s.first, s.second});
      inputs.push_back(image_to_tensor(image).to(device_));
    }
    return inputs;
  }

  at::Tensor forward(const std::vector<at::Tensor>& inputs) override {
    last_ = net_->forward(inputs);
    return last_.front().boxes;  // the first image's boxes (no op: the forward ends as torchvision's)
  }

  torch::nn::Module& module() override { return *net_; }
  std::vector<InputRecord> input_records() const override { return records_; }

  std::map<std::string, double> workload_counts() const override {
    const RPNCounts& r = net_->rpn->counts;
    const RoIHeadsCounts& h = net_->roi_heads->counts;
    std::map<std::string, double> c{{"anchors", static_cast<double>(r.anchors)},
                                    {"rpn_proposals_pre_nms", static_cast<double>(r.pre_nms)},
                                    {"rpn_proposals_post_nms", static_cast<double>(r.post_nms)},
                                    {"box_candidates_pre_nms", static_cast<double>(h.candidates)},
                                    {"detections", static_cast<double>(h.detections)},
                                    {"nms_calls", static_cast<double>(r.nms_calls + h.nms_calls)}};
    if (config_.masks) {
      int64_t masks = 0;
      for (const auto& d : last_) masks += d.masks.defined() ? d.masks.size(0) : 0;
      c["masks"] = static_cast<double>(masks);
    }
    return c;
  }

  GeneralizedRCNNImpl& net() { return *net_; }

 private:
  std::shared_ptr<GeneralizedRCNNImpl> net_;
  RCNNConfig config_;
  std::string name_;
  at::Device device_;
  mutable std::vector<InputRecord> records_;
  std::vector<Detections> last_;
};

ModelEntry make_entry(const std::string& name, const std::string& reference, const std::string& description,
                      const RCNNConfig& c, bool for_tests) {
  ModelEntry e;
  e.name = name;
  e.task = "OD";  // the paper lists both R-CNNs under object detection
  e.reference = reference;
  e.description = description;
  e.parameters = rcnn_parameter_count(c);
  e.for_tests = for_tests;
  e.takes_score_threshold = true;
  e.estimate_bytes = [c](int64_t batch, int64_t /*seq_len*/, int64_t /*layers*/) {
    // fp32 weights plus, generously, the live activations of one image at the
    // largest input the transform makes (max_size x max_size padded): the ResNet
    // and FPN maps (~96 floats per input pixel at their widest), the RoI features,
    // and for Mask R-CNN the pasted masks.
    const int64_t pixels = c.max_size * c.max_size;
    int64_t per_image = 96 * pixels + c.rpn_post_nms_top_n * c.fpn_channels * 49 * 2;
    if (c.masks) per_image += c.box_detections_per_img * pixels / 2;
    return 4 * (rcnn_parameter_count(c) + batch * per_image);
  };
  e.create = [c, name](const ModelOptions& o) { return create_rcnn(c, o, name); };
  return e;
}

}  // namespace

RCNNConfig fasterrcnn_resnet50_fpn_config() { return RCNNConfig{}; }

RCNNConfig maskrcnn_resnet50_fpn_config() {
  RCNNConfig c;
  c.masks = true;
  return c;
}

RCNNConfig rcnn_tiny_config(bool masks) {
  RCNNConfig c;
  c.masks = masks;
  c.layers = {1, 1, 1, 1};
  c.num_classes = 5;
  c.min_size = 64;
  c.max_size = 96;
  c.rpn_pre_nms_top_n = 1000;
  c.rpn_post_nms_top_n = 60;
  c.box_score_thresh = 0.05;
  c.box_nms_thresh = 0.5;
  c.box_detections_per_img = 20;
  c.representation_size = 64;
  c.mask_layers = {16, 16};
  c.mask_dim_reduced = 16;
  return c;
}

int64_t rcnn_parameter_count(const RCNNConfig& c) {
  return resnet_body_parameter_count(c.layers) + fpn_parameter_count({256, 512, 1024, 2048}, c.fpn_channels) +
         rpn_head_parameter_count(c.fpn_channels, 3) + roi_heads_parameter_count(c.fpn_channels, roi_config(c));
}

std::unique_ptr<Model> create_rcnn(const RCNNConfig& config, const ModelOptions& options, const std::string& name) {
  if (options.dtype != "float32") {
    throw Error("dtype '" + options.dtype + "' is not supported by " + name + "; valid: float32");
  }
  const at::Device device = hf::parse_device(options.device);
  require_torchvision_ops();  // one clear line when torchvision is missing
  RCNNConfig c = config;
  if (options.score_threshold >= 0) c.box_score_thresh = options.score_threshold;
  at::manual_seed(options.seed);
  auto net = std::make_shared<GeneralizedRCNNImpl>(c);
  net->eval();
  hf::convert_module(*net, at::kFloat, device);
  return std::make_unique<RCNNModel>(std::move(net), c, name, device);
}

std::vector<ModelEntry> rcnn_entries() {
  return {
      make_entry("fasterrcnn_resnet50_fpn", "torchvision:fasterrcnn_resnet50_fpn",
                 "Faster R-CNN, ResNet-50 FPN (torchvision), object detection", fasterrcnn_resnet50_fpn_config(), false),
      make_entry("maskrcnn_resnet50_fpn", "torchvision:maskrcnn_resnet50_fpn",
                 "Mask R-CNN, ResNet-50 FPN (torchvision), instance segmentation", maskrcnn_resnet50_fpn_config(),
                 false),
      make_entry("fasterrcnn-tiny", "torchvision:FasterRCNN(tiny config)",
                 "Faster R-CNN test config: ResNet blocks 1-1-1-1, 5 classes, 64-96 px", rcnn_tiny_config(false), true),
      make_entry("maskrcnn-tiny", "torchvision:MaskRCNN(tiny config)",
                 "Mask R-CNN test config: ResNet blocks 1-1-1-1, 5 classes, 64-96 px", rcnn_tiny_config(true), true),
  };
}

}  // namespace ngbench::models::vision
